from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "tillit.feedback"
    verbose_name = _("Feedback and service measures")

    def ready(self) -> None:
        from tillit.core.scheduler import Periodic, register_periodic
        from tillit.feedback import panels

        panels.register()
        register_periodic(
            Periodic(name="feedback.surveys", task="tillit.feedback.tasks.run_surveys", seconds=300)
        )
        # The recent days are rebuilt every hour, so today's figures are at most an hour old;
        # older days stay as the last run left them (see docs/performance.md for the cost).
        register_periodic(
            Periodic(name="feedback.roll_up", task="tillit.feedback.tasks.roll_up", seconds=3600)
        )
