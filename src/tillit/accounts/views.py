from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tillit.core.startpage import render_panels


@login_required
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/start.html", {"panels": render_panels(request)})
