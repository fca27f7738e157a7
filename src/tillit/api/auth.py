"""Who is calling: an integration with a bearer token, or staff trying the API in the browser.

A token that is sent but unknown or revoked is refused at once (401), never passed on to the
session check. A browser session must pass Django's CSRF check on unsafe methods, exactly as a
form post would, so a third-party page cannot make a logged-in colleague's browser write cases.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from tillit.api.actions import authenticate_token
from tillit.api.problems import Problem

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`: the token acts as the person it was issued for."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        person = authenticate_token(token.strip())
        if person is None:
            raise AuthenticationError(401, _("The API token is unknown or has been revoked."))
        request.user = person
        return person


class BrowserSession(APIKeyCookie):
    """The logged-in staff member's session cookie; unsafe methods need the CSRF token."""

    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise Problem(
                403,
                "csrf",
                _(
                    "The CSRF check failed. Send the csrftoken cookie's value in the "
                    "X-CSRFToken header, or use an API token."
                ),
            )
        return user
