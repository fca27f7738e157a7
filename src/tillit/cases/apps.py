from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "tillit.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from tillit.cases.startpage import register
        from tillit.core.scheduler import Periodic, register_periodic

        register_periodic(
            Periodic(name="cases.escalate", task="tillit.cases.tasks.escalate_overdue", seconds=60)
        )
        register()
