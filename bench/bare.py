"""A bare Django view doing the same inserts as case registration, for comparison only.

Served only by the benchmark (`bench/cases_latency.py` starts the server with
DJANGO_SETTINGS_MODULE=bench.bare_settings): no authentication, no validation, no framework:
the floor that the real API endpoint is measured against.
"""

from __future__ import annotations

import json

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare_create(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT id FROM catalogue_casetype WHERE code = %s", [body["case_type"]])
        case_type = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM organisation_unit WHERE code = %s", [body["owner"]])
        owner = cursor.fetchone()[0]
        cursor.execute(
            "UPDATE cases_registrationseries SET last_number = last_number + 1 "
            "WHERE prefix = 'KC' AND year = %s RETURNING last_number",
            [now.year],
        )
        number = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO cases_case (registration_number, channel, subject, description, "
            "case_type_id, status, owner_unit_id, leg_started_at, resolved_at_first_contact, "
            "is_secret, secrecy_provision, created_at, updated_at) "
            "VALUES (%s, 'api', %s, %s, %s, 'new', %s, %s, false, false, '', %s, %s) RETURNING id",
            [
                f"KC {now.year}/{number:05d}",
                body["subject"],
                body.get("description", ""),
                case_type,
                owner,
                now,
                now,
                now,
            ],
        )
        case_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO cases_caseevent (case_id, kind, at, actor_label, unit_id, body, data) "
            "VALUES (%s, 'created', %s, 'api', %s, %s, '{}')",
            [case_id, now, owner, body.get("description", "")],
        )
        cursor.execute(
            "INSERT INTO cases_search (case_id, document) VALUES (%s, to_tsvector('swedish', %s))",
            [case_id, body["subject"] + " " + body.get("description", "")],
        )
    return JsonResponse(
        {"id": case_id, "registration_number": f"KC {now.year}/{number:05d}"}, status=201
    )


urlpatterns = [
    path("bench/bare-create", bare_create),
    path("", include("config.urls")),
]
