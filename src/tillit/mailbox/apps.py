from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailboxConfig(AppConfig):
    name = "tillit.mailbox"
    verbose_name = _("Shared mailbox")

    def ready(self) -> None:
        from django.conf import settings

        from tillit.core.scheduler import Periodic, register_periodic
        from tillit.mailbox import panels

        panels.register()
        register_periodic(
            Periodic(name="mailbox.send", task="tillit.mailbox.tasks.retry_outbound", seconds=60)
        )
        if settings.TILLIT_MAILBOX_IMAP:  # off unless configured: `make run` needs no mail server
            register_periodic(
                Periodic(
                    name="mailbox.poll",
                    task="tillit.mailbox.tasks.poll_mailboxes",
                    seconds=settings.TILLIT_MAILBOX_POLL_SECONDS,
                )
            )
