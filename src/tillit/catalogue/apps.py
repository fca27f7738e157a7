from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "tillit.catalogue"
    verbose_name = _("Case-type catalogue")

    def ready(self) -> None:
        from tillit.catalogue import panels

        panels.register()
