from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tillit.core.navigation import nav_for


def site(request: HttpRequest) -> dict[str, Any]:
    # Computed once per request: panels rendered with the request run this processor again.
    nav = getattr(request, "_tillit_nav", None)
    if nav is None:
        nav = nav_for(request)
        request._tillit_nav = nav  # type: ignore[attr-defined]
    return {"municipality_name": settings.TILLIT_MUNICIPALITY_NAME, "nav_items": nav}
