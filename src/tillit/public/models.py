"""What the citizen e-services remember themselves: which message forms were already received."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceivedMessage(models.Model):
    """One status-page message form, received once: a double click or a resubmitted page finds
    its key here (a unique constraint, decided by the database) and adds nothing again."""

    key = models.CharField(max_length=64, unique=True)
    case_id = models.BigIntegerField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("received message form")
        verbose_name_plural = _("received message forms")
        indexes = [models.Index(fields=["received_at"], name="public_received_at")]

    def __str__(self) -> str:
        return self.key
