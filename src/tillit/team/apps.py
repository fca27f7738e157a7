from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    name = "tillit.team"
    verbose_name = _("Team")

    def ready(self) -> None:
        from tillit.core.scheduler import Periodic, register_periodic
        from tillit.team.startpage import register

        register()
        register_periodic(
            Periodic(name="team.rotas", task="tillit.team.tasks.refresh_rotas", seconds=3600)
        )
