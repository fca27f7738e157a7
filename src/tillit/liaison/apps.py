from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "tillit.liaison"
    verbose_name = _("Liaison meetings")

    def ready(self) -> None:
        from tillit.liaison import panels

        panels.register()
