"""Where a form sends the user back to: the page named in `next`, if it is one of ours."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request: HttpRequest, default: str) -> str:
    """The `next` field (or query parameter) when it points into this site, else `default`.
    Django's check also refuses the forms browsers read as another host (`//x`, `/\\x`)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default
