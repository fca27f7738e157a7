"""Every write to API tokens. A token is a secret: it is returned once and only its hash is kept."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tillit.api.models import ApiToken
from tillit.core.prepared import Prepared
from tillit.organisation.models import Person

TOKEN_PREFIX = "tillit_"  # noqa: S105 - a marker that makes leaked tokens easy to scan for
# Writing `last_used_at` on every request would turn each read into a write; a minute is exact
# enough to see which integrations are alive.
TOUCH_INTERVAL = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


@transaction.atomic
def create_api_token(*, name: str, person: Person) -> IssuedToken:
    """Make a token acting as `person`. The caller must show `secret` now: it cannot be
    recovered."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name.strip()[:120],
        person=person,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(secret),
        created_at=timezone.now(),
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def revoke_api_token(*, token: ApiToken) -> ApiToken:
    """Revoke at once; the row stays so the audit trail shows which token did what until when."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
    return locked


# Asked on every API call: compiled once per process (decision 0007).
_TOKEN: Prepared[ApiToken] = Prepared(
    lambda token_hash: ApiToken.objects.select_related("person").filter(
        token_hash=token_hash, revoked_at__isnull=True
    )[:1],
    token_hash=str,
)


def authenticate_token(secret: str) -> Person | None:
    """The active person behind an unrevoked token, or None. One query, plus a rare touch."""
    if not secret or len(secret) > 200:
        return None
    # The hash is unique: no ORDER BY (`.first()` would add one) for a query run on every call.
    token = _TOKEN.first(token_hash=hash_token(secret))
    if token is None or not token.person.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person
