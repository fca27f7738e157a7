"""API tokens in the admin: created with a one-time secret, revoked, never edited or deleted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tillit.api import actions
from tillit.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "prefix", "person", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "person__username"]
    raw_id_fields = ["person"]
    fields = ["name", "person", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: ApiToken | None = None
    ) -> list[str] | tuple[Any, ...]:
        if obj is not None:
            return ["name", "person", *self.readonly_fields]
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            return
        issued = actions.create_api_token(name=obj.name, person=obj.person)
        obj.pk = issued.token.pk
        obj.prefix = issued.token.prefix
        obj.created_at = issued.token.created_at
        obj.token_hash = issued.token.token_hash
        self.message_user(
            request,
            _("The token is shown only now; copy it: %(token)s") % {"token": issued.secret},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            actions.revoke_api_token(token=token)
        self.message_user(request, _("The tokens are revoked."), messages.SUCCESS)
