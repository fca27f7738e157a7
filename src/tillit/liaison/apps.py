from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "tillit.liaison"
    verbose_name = _("Liaison meetings")

    def ready(self) -> None:
        from tillit.core.navigation import NavItem, register_nav_item

        register_nav_item(
            NavItem(key="liaison", label=_("Liaison"), url_name="liaison:index", order=55)
        )
