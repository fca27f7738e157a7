"""The forms on the case page: each posts to one action and redirects back (PRG); a refusal
re-shows the page with the action's message on its field, in Swedish, and changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tillit.cases import actions
from tillit.cases.models import Case, CaseEvent, Handover
from tillit.cases.states import EventKind, HandoverStatus, Status
from tillit.cases.tests.factories import offer, register
from tillit.cases.tests.pages import page_text
from tillit.catalogue.tests.factories import CaseTypeFactory


def post(client, case, slug, data=None):
    return client.post(
        f"/arenden/{case.pk}/{slug}/", {f"{slug}-{k}": v for k, v in (data or {}).items()}
    )


def reload(case) -> Case:
    return Case.objects.get(pk=case.pk)


def closed(world, case):
    actions.close_case(case=case, by=world.centre_staff, resolution="Klart")


def secret(world, case):
    actions.mark_secret(case=case, by=world.centre_staff, provision="OSL 26 kap. 1 §")


def tomorrow() -> str:
    return (timezone.localdate() + timedelta(days=7)).isoformat()


CHANGES = [
    # slug, prepare, form data, what the case or its log shows afterwards
    (
        "anteckning",
        None,
        {"body": "Ringt upp."},
        lambda w, c: c.events.filter(kind="note").exists(),
    ),
    (
        "svar",
        None,
        {"body": "Inget bygglov krävs."},
        lambda w, c: c.events.filter(kind="reply").exists(),
    ),
    (
        "muntlig-information",
        None,
        {"body": "Förklarade reglerna.", "given_at": "2026-03-02T09:15"},
        lambda w, c: (
            c.events.get(kind="oral_information", body="Förklarade reglerna.")
            .data["given_at"]
            .startswith("2026-03-02T09:15")
        ),
    ),
    ("ta-arendet", None, {}, lambda w, c: c.handler == w.centre_staff),
    ("tilldela", None, {"handler": "colleague"}, lambda w, c: c.handler == w.centre_colleague),
    ("ta-bort-handlaggare", "assigned", {}, lambda w, c: c.handler is None),
    ("paborja", None, {}, lambda w, c: c.status == Status.IN_PROGRESS),
    ("vanta", None, {"body": "Ritningar"}, lambda w, c: c.status == Status.WAITING),
    ("avsluta", None, {"resolution": "Besvarat."}, lambda w, c: c.status == Status.CLOSED),
    ("ateroppna", closed, {"reason": "Ny fråga"}, lambda w, c: c.status == Status.IN_PROGRESS),
    ("makulera", None, {"reason": "Dubblett"}, lambda w, c: c.status == Status.CANCELLED),
    (
        "forfallodag",
        None,
        {"due_date": tomorrow(), "reason": "Väntar på ritningar"},
        lambda w, c: c.due_date.isoformat() == tomorrow(),
    ),
    ("arendetyp", None, {"case_type": "new"}, lambda w, c: c.case_type.name == "Avfallshämtning"),
    ("sekretess", None, {"provision": "OSL 26 kap. 1 §"}, lambda w, c: c.is_secret),
    ("ta-bort-sekretess", secret, {"reason": "Prövat"}, lambda w, c: not c.is_secret),
    (
        "erbjud",
        None,
        {"to_unit": "administration", "done": "Gav information.", "expected": "Bedöm."},
        lambda w, c: Handover.objects.filter(case=c, status=HandoverStatus.OPEN).exists(),
    ),
]


@pytest.mark.parametrize(("slug", "prepare", "data", "done"), CHANGES, ids=[c[0] for c in CHANGES])
def test_each_change_calls_its_action_and_sends_the_browser_back_to_the_case(
    world, client_for, slug, prepare, data, done
):
    case = register(world)
    if prepare == "assigned":
        actions.assign_case(case=case, handler=world.centre_staff, by=world.centre_staff)
    elif prepare:
        prepare(world, case)
    values = {
        "colleague": world.centre_colleague.pk,
        "administration": world.administration.pk,
        "new": CaseTypeFactory(administration=world.administration, name="Avfallshämtning").pk,
    }
    data = {key: values.get(value, value) for key, value in data.items()}
    client = client_for(world.centre_staff)
    response = post(client, case, slug, data)
    assert response.status_code == 302, page_text(response)
    assert response["Location"] == f"/arenden/{case.pk}/"
    assert done(world, reload(case))
    followed = client.get(response["Location"])
    assert 'class="message message--success"' in followed.content.decode()


def test_an_empty_note_is_refused_on_its_field_and_nothing_is_written(world, client_for):
    case = register(world)
    response = post(client_for(world.centre_staff), case, "anteckning", {"body": "  "})
    assert response.status_code == 422
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_anteckning-body_error"><li>Fältet måste fyllas i.' in html
    assert 'href="#id_anteckning-body">Intern anteckning: Fältet måste fyllas i.' in html
    assert '<details class="work__form" open>' in html
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.NOTE).exists()


def test_the_actions_refusals_are_shown_field_by_field_in_swedish(world, client_for):
    case = register(world)
    client = client_for(world.centre_staff)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    refused = post(client, case, "forfallodag", {"due_date": past, "reason": "Fel"})
    assert refused.status_code == 422
    assert (
        '<ul class="errorlist" id="id_forfallodag-due_date_error">'
        "<li>Förfallodagen kan inte ligga i det förflutna.</li>"
    ) in refused.content.decode()
    offer(world, case)
    closing = page_text(post(client, case, "avsluta", {"resolution": "Klart"}))
    assert "Dra tillbaka eller invänta den öppna överlämningen innan du avslutar." in closing
    again = page_text(
        post(client, case, "erbjud", {"to_unit": world.other.pk, "done": "x", "expected": "y"})
    )
    assert "Ärendet är redan erbjudet till Bygglov; dra tillbaka det erbjudandet först." in again
    stranger = page_text(post(client, case, "tilldela", {"handler": world.admin_staff.pk}))
    assert "Välj ett giltigt alternativ." in stranger
    assert reload(case).status == Status.NEW and reload(case).handler is None


def test_an_offer_names_its_receiver_and_the_person_must_belong_there(world, client_for):
    case = register(world)
    client = client_for(world.centre_staff)
    wrong = post(
        client,
        case,
        "erbjud",
        {
            "to_unit": world.administration.pk,
            "to_person": world.other_staff.pk,
            "done": "x",
            "expected": "y",
        },
    )
    assert wrong.status_code == 422 and "Välj ett giltigt alternativ." in page_text(wrong)
    right = post(
        client,
        case,
        "erbjud",
        {
            "to_unit": world.administration.pk,
            "to_person": world.admin_colleague.pk,
            "done": "x",
            "expected": "y",
        },
    )
    assert right.status_code == 302
    assert Handover.objects.get(case=case).to_person == world.admin_colleague


def test_the_offer_form_proposes_the_case_types_receiver(world, client_for):
    case = register(world)
    html = client_for(world.centre_staff).get(f"/arenden/{case.pk}/").content.decode()
    assert f'<option value="{world.administration.pk}" selected>' in html


def test_someone_who_may_only_read_the_case_cannot_change_it(world, client_for):
    case = register(world)
    offer(world, case)
    response = post(client_for(world.admin_staff), case, "anteckning", {"body": "Hej"})
    assert response.status_code == 422
    assert "Bara den ägande enheten (Kundcenter) kan ändra ärendet." in page_text(response)
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.NOTE).exists()


def test_a_stranger_gets_not_found_and_unknown_changes_do_not_exist(world, client_for):
    case = register(world)
    assert post(client_for(world.other_staff), case, "anteckning", {"body": "x"}).status_code == 404
    worker = client_for(world.centre_staff)
    assert post(worker, case, "radera", {}).status_code == 404
    assert worker.get(f"/arenden/{case.pk}/anteckning/").status_code == 405


def test_every_form_is_protected_against_cross_site_requests(world, client_for):
    case = register(world)
    guarded = client_for(world.centre_staff, csrf=True)
    assert post(guarded, case, "anteckning", {"body": "x"}).status_code == 403
    html = guarded.get(f"/arenden/{case.pk}/").content.decode()
    assert html.count('method="post"') == html.count('name="csrfmiddlewaretoken"')
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.NOTE).exists()


def test_a_work_form_posts_with_the_token_the_page_wrote_into_it(world, client_for):
    """The work forms share one CSRF field made once per page (decision 0472)."""
    import re

    case = register(world)
    guarded = client_for(world.centre_staff, csrf=True)
    html = guarded.get(f"/arenden/{case.pk}/").content.decode()
    form = html.split(f'action="/arenden/{case.pk}/anteckning/"', 1)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = guarded.post(
        f"/arenden/{case.pk}/anteckning/",
        {"anteckning-body": "Ringde upp", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert CaseEvent.objects.filter(case=case, kind=EventKind.NOTE, body="Ringde upp").exists()


def test_only_the_changes_that_apply_are_offered(world, client_for):
    case = register(world)
    actions.close_case(case=case, by=world.centre_staff, resolution="Klart")
    html = client_for(world.centre_staff).get(f"/arenden/{case.pk}/").content.decode()
    assert f"/arenden/{case.pk}/ateroppna/" in html
    for gone in ["avsluta", "svar", "erbjud", "paborja", "tilldela"]:
        assert f"/arenden/{case.pk}/{gone}/" not in html
