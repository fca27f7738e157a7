"""Functional mailboxes in the admin: their settings edited, their reading state shown. A mailbox
is made with `tillit mailbox_setup UNIT ADDRESS` (it needs its intake case type); messages are
never edited here: they are the record of what arrived and what was sent."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from tillit.mailbox.models import Mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin[Mailbox]):
    list_display = ["address", "unit", "answer_days", "acknowledge", "is_active", "last_polled_at"]
    list_filter = ["is_active", "acknowledge"]
    search_fields = ["address", "unit__name"]
    fields = [
        "address",
        "unit",
        "intake_type",
        "display_name",
        "answer_days",
        "acknowledge",
        "is_active",
        "last_uid",
        "uidvalidity",
        "last_polled_at",
        "last_error",
    ]
    readonly_fields = [
        "address",
        "unit",
        "intake_type",
        "last_uid",
        "uidvalidity",
        "last_polled_at",
        "last_error",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Mailbox | None = None) -> bool:
        return False
