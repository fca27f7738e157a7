"""Every refusal is `application/problem+json` (RFC 9457) with a human message in the request's
language (Swedish unless `Accept-Language: en`).

Refusals from the actions arrive as Django `ValidationError`s whose `message_dict` names the
field; their codes decide the HTTP status (see docs/decisions/0340-api-problem-details.md):
a state conflict is 409, acting on someone else's case or offer is 403, any other input is 422.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"

# Seconds a client is asked to wait when the database cannot be reached (a restart, a fail-over).
RETRY_AFTER_SECONDS = 5

CONFLICT_CODES = frozenset(
    {
        "case_closed",
        "case_cancelled",
        "invalid_transition",
        "handover_answered",
        "offer_exists",
        "open_offer",
        "checklist_incomplete",
        "same_unit",
    }
)
FORBIDDEN_CODES = frozenset({"not_owner", "not_receiver"})


class FieldError(Schema):
    field: str
    message: str
    code: str


class ProblemOut(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


class Problem(Exception):
    """Raised by an endpoint to refuse with a problem document."""

    def __init__(
        self, status: int, slug: str, detail: str, errors: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.errors = errors


def field_problem(field: str, message: str, code: str) -> Problem:
    return Problem(
        422,
        "validation",
        _("The request has errors; see the list of fields."),
        [{"field": field, "message": message, "code": code}],
    )


def _titles() -> dict[str, str]:
    return {
        "unauthenticated": _("Not authenticated"),
        "forbidden": _("Not allowed"),
        "csrf": _("CSRF check failed"),
        "not-found": _("Not found"),
        "conflict": _("Conflict with the case's state"),
        "validation": _("Invalid request"),
        "throttled": _("Too many requests"),
        "server-error": _("Internal error"),
        "unavailable": _("Temporarily unavailable"),
        "error": _("Request refused"),
    }


def problem_response(
    request: HttpRequest,
    status: int,
    slug: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": request.build_absolute_uri(f"/api/v1/docs#problem-{slug}"),
        "title": _titles().get(slug, _titles()["error"]),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    response["Content-Language"] = getattr(request, "LANGUAGE_CODE", "sv")
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="tillit"'
    return response


# The actions name a citizen's fields flat; in the request they sit inside `party`.
_REQUEST_FIELD = {f: f"party.{f}" for f in ("personal_number", "name", "email", "phone", "address")}


def _errors_from_django(exc: DjangoValidationError) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    if hasattr(exc, "error_dict"):
        for name, items in exc.error_dict.items():
            field = _REQUEST_FIELD.get(name, name)
            for item in items:
                message = item.message % item.params if item.params else item.message
                code = item.code or getattr(exc, "code", None) or "invalid"
                errors.append({"field": field, "message": str(message), "code": code})
    else:
        for item in exc.error_list:
            message = item.message % item.params if item.params else item.message
            errors.append(
                {"field": "__all__", "message": str(message), "code": item.code or "invalid"}
            )
    return errors


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"string_too_long", "too_long"}:
        return _("The value is too long (at most %(max)s characters).") % {
            "max": ctx.get("max_length", "?")
        }
    if kind in {"string_too_short", "too_short"}:
        return _("This field cannot be empty.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Give a whole number.")
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        return _("The number is out of range.")
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in {"string_type"}:
        return _("Give a text.")
    if kind == "null_character":
        return _("Null characters are not allowed.")
    if kind == "invalid_unicode":
        return _("The text holds characters that are not valid Unicode (a lone surrogate).")
    if kind in {"json_invalid", "model_attributes_type", "dict_type", "model_type"}:
        return _("The body must be a JSON object.")
    return _("The value is not valid.")


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    # ninja prefixes the location ("body", "query", "header") and the parameter's name.
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        source = parts[0]
        parts = parts[1:]
        if source == "body" and len(parts) > 1 and parts[0] == "payload":
            parts = parts[1:]
    return ".".join(parts) or "__all__"


def register_handlers(api: NinjaAPI) -> None:
    def on_problem(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(request, exc.status, exc.slug, exc.detail, exc.errors)

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(
            request, 404, "not-found", _("There is nothing here, or you may not see it.")
        )

    def on_authentication(request: HttpRequest, exc: Any) -> HttpResponse:
        detail = exc.message
        if detail in {"Unauthorized", ""}:
            detail = _("Log in, or send an API token in the header Authorization: Bearer <token>.")
        return problem_response(request, 401, "unauthenticated", detail)

    def on_django_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = _errors_from_django(exc)
        codes = {e["code"] for e in errors}
        if codes & FORBIDDEN_CODES:
            status, slug = 403, "forbidden"
        elif codes & CONFLICT_CODES:
            status, slug = 409, "conflict"
        else:
            status, slug = 422, "validation"
        detail = (
            errors[0]["message"]
            if len(errors) == 1
            else _("The request has errors; see the list of fields.")
        )
        return problem_response(request, status, slug, detail, errors)

    def on_ninja_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = [
            {
                "field": _field_name(error.get("loc", ())),
                "message": _pydantic_message(error),
                "code": str(error.get("type", "invalid")),
            }
            for error in exc.errors
        ]
        return problem_response(
            request, 422, "validation", _("The request has errors; see the list of fields."), errors
        )

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, Throttled):
            return problem_response(request, 429, "throttled", _("Wait a moment and try again."))
        if exc.status_code == 403:
            return problem_response(request, 403, "forbidden", _("You may not do this."))
        if exc.status_code == 400:
            return problem_response(request, 400, "validation", _("The request cannot be read."))
        return problem_response(request, exc.status_code, "error", str(exc))

    def on_database_unavailable(request: HttpRequest, exc: Any) -> HttpResponse:
        # The database went away (restart, fail-over, network). Whether this request's
        # transaction committed is unknown to the client, so it retries with the same
        # Idempotency-Key and gets the first case if there was one (docs/operations.md).
        logger.warning("Database unavailable on %s %s: %s", request.method, request.path, exc)
        response = problem_response(
            request,
            503,
            "unavailable",
            _(
                "The service cannot reach its database just now. Try again in a moment; "
                "with the same Idempotency-Key a retry never registers a case twice."
            ),
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return problem_response(
            request,
            500,
            "server-error",
            _("Something went wrong on our side. The error has been logged; try again later."),
        )

    api.add_exception_handler(Problem, on_problem)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(NinjaValidationError, on_ninja_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(OperationalError, on_database_unavailable)
    api.add_exception_handler(InterfaceError, on_database_unavailable)
    api.add_exception_handler(Exception, on_unexpected)
