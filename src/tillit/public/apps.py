from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "tillit.public"
    verbose_name = _("Citizen e-services")

    def ready(self) -> None:
        from tillit.core.scheduler import Periodic, register_periodic
        from tillit.public import logfilter

        logfilter.install()
        register_periodic(
            Periodic(
                name="public.sweep",
                task="tillit.public.tasks.sweep_uploads",
                seconds=3600,
            )
        )
