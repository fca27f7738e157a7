from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogConfig(AppConfig):
    name = "tillit.dialog"
    verbose_name = _("Dialog meetings")

    def ready(self) -> None:
        from tillit.core.navigation import NavItem, register_nav_item

        register_nav_item(
            NavItem(key="dialog", label=_("Dialog"), url_name="dialog:mine", order=60)
        )
