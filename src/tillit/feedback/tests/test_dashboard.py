"""The service-measure dashboards: charts and tables, filters, CSV export, the unit's comments."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tillit.cases.tests.factories import register
from tillit.feedback import actions
from tillit.feedback.states import SurveySource
from tillit.feedback.tests.helpers import closed_case
from tillit.feedback.views import csv_cell
from tillit.organisation.tests.factories import PersonFactory


def answer(world, treatment: int, comment: str = "") -> None:
    case = closed_case(world)
    token = actions.open_survey(case=case, source=SurveySource.CLOSED)
    actions.answer_survey(token=token, treatment=treatment, got_help=4, ease=3, comment=comment)


def roll_up() -> None:
    call_command("feedback_rollup", stdout=io.StringIO())


@pytest.fixture
def answered(world):
    for score in (5, 5, 4, 4, 3):
        answer(world, score, "Tack till Karin Nyström, snabbt svar!" if score == 3 else "")
    roll_up()
    return world


def test_a_manager_sees_charts_with_tables_and_definitions(client, answered):
    client.force_login(answered.admin_manager)
    response = client.get(reverse("feedback:dashboard"), {"enhet": "kommun"})
    assert response.status_code == 200
    text = response.content.decode()
    for title in (
        "Inkomna ärenden per kanal",
        "Lösta vid första kontakten",
        "Överlämningar per ärende",
        "Medarbetare som invånaren mötte per ärende",
        "Tid till hjälp (arbetsdagar)",
        "Nöjdhet över tid (index 0–100)",
        "Mått i KKiK-stil (interna siffror)",
    ):
        assert title in text
    assert text.count('<svg class="chart"') >= 6
    assert text.count("<table>") >= 7
    assert "Så räknas det" in text and "interna siffror" in text.lower()
    assert "style=" not in text, "the CSP forbids inline style"
    assert "<script>" not in text


def satisfaction_rows(client) -> list[str]:
    response = client.get(reverse("feedback:export", args=["satisfaction"]), {"enhet": "kommun"})
    return response.content.decode().removeprefix("\ufeff").splitlines()


def test_satisfaction_is_reported_on_the_zero_to_hundred_index(client, answered):
    client.force_login(answered.admin_manager)
    rows = satisfaction_rows(client)
    # five answers: treatment 5, 5, 4, 4, 3 -> (100 + 100 + 75 + 75 + 50) / 5 = 80; help 4 -> 75
    assert rows[1].split(";")[1:] == ["5", "80,0", "75,0", "50,0"]


@override_settings(TILLIT_FEEDBACK_MIN_ANSWERS=6)
def test_too_few_answers_are_not_shown(client, answered):
    client.force_login(answered.admin_manager)
    rows = satisfaction_rows(client)
    assert rows[1].split(";")[1:] == ["5", "", "", ""]


def test_comments_are_shown_redacted_and_only_to_their_unit(client, answered):
    client.force_login(answered.centre_colleague)
    own = client.get(reverse("feedback:dashboard"), {"enhet": answered.centre.pk}).content.decode()
    assert "Kommentarer från invånare" in own
    assert "Tack till [namn], snabbt svar!" in own and "Nyström" not in own
    client.force_login(answered.other_staff)
    other = client.get(
        reverse("feedback:dashboard"), {"enhet": answered.centre.pk}
    ).content.decode()
    assert "Inkomna ärenden per kanal" in other, "figures are for all staff"
    assert "Kommentarer från invånare" not in other and "snabbt svar" not in other


def test_filters_are_checked_and_explained(client, world):
    client.force_login(world.admin_manager)
    response = client.get(
        reverse("feedback:dashboard"),
        {"enhet": "kommun", "fran": "2026-05-01", "till": "2026-01-01"},
    )
    assert response.status_code == 400
    assert (
        "Startdatumet måste vara samma dag som eller före slutdatumet." in response.content.decode()
    )
    assert client.get(reverse("feedback:dashboard"), {"fran": "inte ett datum"}).status_code == 400


def test_people_outside_the_organisation_see_no_figures(client, world):
    client.force_login(PersonFactory())
    assert client.get(reverse("feedback:dashboard")).status_code == 403
    client.logout()
    assert client.get(reverse("feedback:dashboard")).status_code == 302


def test_the_dashboard_opens_on_the_managers_own_unit(client, answered):
    client.force_login(answered.admin_manager)
    text = client.get(reverse("feedback:dashboard")).content.decode()
    assert f"Servicemått: {answered.administration.name}" in text
    assert "Enkätinställningar för enheten" in text


def test_csv_cells_cannot_run_as_formulas(client, world):
    assert csv_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [csv_cell(v) for v in ("+1", "-1", "@SUM", 12, 12.5, None)] == [
        "'+1",
        "'-1",
        "'@SUM",
        "12",
        "12,5",
        "",
    ]
    world.case_type.name = "=cmd|' /C calc'!A0"
    world.case_type.save()
    closed_case(world)
    roll_up()
    client.force_login(world.admin_manager)
    body = client.get(
        reverse("feedback:export", args=["time_to_help"]), {"enhet": "kommun"}
    ).content.decode()
    assert "\n'=cmd|' /C calc'!A0;" in body.replace("\r\n", "\n")


def test_every_chart_can_be_exported(client, answered):
    client.force_login(answered.admin_manager)
    for key in (
        "incoming", "incoming_over_time", "first_contact", "handovers", "people",
        "time_to_help", "satisfaction", "kkik",
    ):  # fmt: skip
        response = client.get(reverse("feedback:export", args=[key]), {"enhet": "kommun"})
        assert response.status_code == 200, key
        assert response["Content-Disposition"].startswith("attachment;")
    assert client.get(reverse("feedback:export", args=["nope"])).status_code == 404


def test_a_manager_sets_the_units_survey_share(client, world):
    url = reverse("feedback:survey_settings", args=[world.administration.pk])
    client.force_login(world.admin_staff)
    assert client.get(url).status_code == 403
    client.force_login(world.admin_manager)
    refused = client.post(
        url, {"enabled": "on", "share_percent": "150", "delay_hours": "24", "valid_days": "14"}
    )
    assert (
        "Kontrollera att detta värde är mindre än eller lika med 100." in refused.content.decode()
    )
    saved = client.post(
        url, {"enabled": "on", "share_percent": "40", "delay_hours": "48", "valid_days": "10"}
    )
    assert saved.status_code == 302
    from tillit.feedback.queries import survey_settings_for

    config = survey_settings_for(world.administration.pk)
    assert (config.share_percent, config.delay_hours, config.valid_days) == (40, 48, 10)


def test_the_roll_up_runs_in_the_worker_and_replaces_its_days(world):
    from tillit.feedback import tasks
    from tillit.feedback.models import FlowDay

    register(world)
    tasks.roll_up.enqueue()
    assert sum(FlowDay.objects.values_list("registered", flat=True)) == 1
    tasks.roll_up.enqueue()
    assert sum(FlowDay.objects.values_list("registered", flat=True)) == 1
