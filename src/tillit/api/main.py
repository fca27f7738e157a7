"""The API object: version 1, its authentication, its refusals and its documentation page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from tillit.api.auth import BearerToken, BrowserSession
from tillit.api.endpoints import router
from tillit.api.problems import CONTENT_TYPE, register_handlers

DESCRIPTION = """\
The documented REST API of Tillit. Authenticate with `Authorization: Bearer <token>` (tokens are
made with `tillit api_token create`) or, in the browser, with your login session. Every refusal
is `application/problem+json` (RFC 9457). See docs/api.md for pagination, idempotency and
examples.
"""


class ServerRenderedDocs(DocsBase):
    """A documentation page rendered on the server from the schema: no CDN, no inline script,
    so it loads under the site's content security policy and works without JavaScript."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        from tillit.api.docs import operations, schemas

        schema = api.get_openapi_schema(path_params=kwargs)
        return render(
            request,
            "api/docs.html",
            {
                "api_title": api.title,
                "api_version": api.version,
                "openapi_url": reverse(f"{api.urls_namespace}:openapi-json", kwargs=kwargs),
                "operations": operations(schema),
                "schemas": schemas(schema),
            },
        )


class TillitApi(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        """Refusals are documented with their real media type, `application/problem+json`."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(code).startswith(("4", "5")) and "application/json" in content:
                        response["content"] = {CONTENT_TYPE: content["application/json"]}
        return schema


api = TillitApi(
    title="Tillit API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    docs=ServerRenderedDocs(),
    auth=[BearerToken(), BrowserSession()],
)
register_handlers(api)
api.add_router("/", router)
