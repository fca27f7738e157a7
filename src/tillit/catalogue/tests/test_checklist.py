"""Checklists: immutable published versions, per-case progress, the close rule, the case panel."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tillit.cases import actions as case_actions
from tillit.cases.states import EventKind, Status
from tillit.cases.tests.factories import offer, register
from tillit.cases.tests.pages import page_text, parts
from tillit.catalogue import actions
from tillit.catalogue.models import CaseChecklistMark, ChecklistItem, VersionStatus
from tillit.catalogue.queries import open_required_items
from tillit.catalogue.tests.factories import published_checklist

ITEMS = [("Kontrollera fastighetsbeteckning", True), ("Tipsa om e-tjänsten", False)]


@pytest.fixture
def version(world):
    return published_checklist(world.case_type, ITEMS)


def item(version, text):
    return version.items.get(text=text)


def test_a_published_version_never_changes(world, version):
    """Adding, changing or removing an item of a published version is refused."""
    first = version.items.first()
    with pytest.raises(ValidationError, match="publicerad"):
        actions.add_item(version=version, by=world.admin_contact, text="Ny punkt")
    with pytest.raises(ValidationError, match="publicerad"):
        actions.change_item(
            item=first, by=world.admin_contact, text="Ändrad", guidance="", link="", required=True
        )
    with pytest.raises(ValidationError, match="publicerad"):
        actions.remove_item(item=first, by=world.admin_contact)
    assert list(version.items.values_list("text", flat=True)) == [t for t, _r in ITEMS]


def test_editing_makes_a_new_draft_copying_the_items(world, version):
    draft = actions.start_draft(case_type=world.case_type, by=world.admin_contact)
    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    assert list(draft.items.values_list("text", "required", "key")) == list(
        version.items.values_list("text", "required", "key")
    )
    again = actions.start_draft(case_type=world.case_type, by=world.admin_contact)
    assert again == draft, "one draft at a time"


def test_a_case_is_pinned_to_the_version_it_was_registered_under(world, version):
    case = register(world)
    draft = actions.start_draft(case_type=world.case_type, by=world.admin_contact)
    actions.add_item(version=draft, by=world.admin_contact, text="Fråga om grannemedgivande")
    actions.publish_version(version=draft, by=world.admin_contact, summary="Grannemedgivande.")
    later = register(world)
    case.refresh_from_db()
    assert case.case_type_version == version
    assert later.case_type_version == draft
    assert open_required_items(case) == ["Kontrollera fastighetsbeteckning"]
    assert open_required_items(later) == [
        "Kontrollera fastighetsbeteckning",
        "Fråga om grannemedgivande",
    ]


def test_a_case_cannot_close_while_a_required_item_is_open_and_the_refusal_names_it(world, version):
    case = register(world)
    with pytest.raises(ValidationError, match="Kontrollera fastighetsbeteckning"):
        case_actions.close_case(case=case, by=world.centre_staff, resolution="Klart.")
    actions.mark_item_done(
        case=case, item=item(version, "Kontrollera fastighetsbeteckning"), by=world.centre_staff
    )
    assert open_required_items(case) == []
    case_actions.close_case(case=case, by=world.centre_staff, resolution="Klart.")
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_not_applicable_needs_a_reason_and_counts_as_handled(world, version):
    case = register(world)
    required = item(version, "Kontrollera fastighetsbeteckning")
    with pytest.raises(ValidationError):
        actions.mark_item_not_applicable(
            case=case, item=required, by=world.centre_staff, reason=" "
        )
    actions.mark_item_not_applicable(
        case=case, item=required, by=world.centre_staff, reason="Gäller ingen fastighet."
    )
    assert open_required_items(case) == []
    mark = CaseChecklistMark.objects.get(case=case, item=required)
    assert (mark.by, mark.reason) == (world.centre_staff, "Gäller ingen fastighet.")


def test_each_tick_is_in_the_case_log_with_who_did_it(world, version):
    case = register(world)
    required = item(version, "Kontrollera fastighetsbeteckning")
    actions.mark_item_done(case=case, item=required, by=world.centre_staff)
    actions.clear_mark(case=case, item=required, by=world.centre_staff)
    events = list(case.events.filter(kind=EventKind.CHECKLIST).order_by("id"))
    assert [e.body for e in events] == [
        "Klart: Kontrollera fastighetsbeteckning",
        "Öppen igen: Kontrollera fastighetsbeteckning",
    ]
    assert {e.actor for e in events} == {world.centre_staff}
    assert open_required_items(case) == ["Kontrollera fastighetsbeteckning"]


def test_an_item_is_marked_once(world, version):
    case = register(world)
    required = item(version, "Kontrollera fastighetsbeteckning")
    actions.mark_item_done(case=case, item=required, by=world.centre_staff)
    with pytest.raises(ValidationError, match="redan"):
        actions.mark_item_done(case=case, item=required, by=world.centre_colleague)
    assert CaseChecklistMark.objects.filter(case=case).count() == 1


def test_only_those_who_work_the_case_tick_it(world, version):
    case = register(world)
    offer(world, case)
    required = item(version, "Kontrollera fastighetsbeteckning")
    with pytest.raises(ValidationError, match="arbetar med ärendet"):
        actions.mark_item_done(case=case, item=required, by=world.admin_staff)


def test_an_item_of_another_version_cannot_be_ticked(world, version):
    case = register(world)
    other = published_checklist(world.case_type, [("Annan punkt", True)], number=2)
    with pytest.raises(ValidationError, match="finns inte i den checklista"):
        actions.mark_item_done(case=case, item=other.items.get(), by=world.centre_staff)


# --- the case page -----------------------------------------------------------------------------


def url(case) -> str:
    return f"/arenden/{case.pk}/"


def test_the_case_page_lists_the_items_with_forms_for_workers_only(world, version, client_for):
    case = register(world)
    offer(world, case)
    required = item(version, "Kontrollera fastighetsbeteckning")
    worker = client_for(world.centre_staff).get(url(case)).content.decode()
    reader = client_for(world.admin_staff).get(url(case)).content.decode()
    tick = f'action="/katalog/arende/{case.pk}/punkt/{required.pk}/klar/"'
    assert tick in worker and tick not in reader
    assert "Kontrollera fastighetsbeteckning" in reader


def test_ticking_on_the_case_page_needs_work_access(world, version, client_for):
    case = register(world)
    offer(world, case)
    required = item(version, "Kontrollera fastighetsbeteckning")
    tick = f"/katalog/arende/{case.pk}/punkt/{required.pk}/klar/"
    client_for(world.admin_staff).post(tick)
    assert not CaseChecklistMark.objects.filter(case=case).exists()
    assert client_for(world.other_staff).post(tick).status_code == 404
    response = client_for(world.centre_staff).post(tick)
    assert response.status_code == 302
    assert CaseChecklistMark.objects.filter(case=case, item=required).exists()
    [entry] = [
        e
        for e in parts(client_for(world.centre_staff).get(url(case)), "checklist__item")
        if "fastighetsbeteckning" in e
    ]
    assert str(world.centre_staff) in entry


def test_ticking_is_protected_against_cross_site_posts(world, version, client_for):
    case = register(world)
    required = item(version, "Kontrollera fastighetsbeteckning")
    client = client_for(world.centre_staff, csrf=True)
    response = client.post(f"/katalog/arende/{case.pk}/punkt/{required.pk}/klar/")
    assert response.status_code == 403
    assert not CaseChecklistMark.objects.exists()


def test_not_applicable_on_the_page_without_a_reason_changes_nothing(world, version, client_for):
    case = register(world)
    required = item(version, "Kontrollera fastighetsbeteckning")
    client = client_for(world.centre_staff)
    na = f"/katalog/arende/{case.pk}/punkt/{required.pk}/ej-aktuell/"
    client.post(na, {f"na-{required.pk}-reason": ""})
    assert not CaseChecklistMark.objects.exists()
    client.post(na, {f"na-{required.pk}-reason": "Ingen fastighet"})
    assert CaseChecklistMark.objects.get().reason == "Ingen fastighet"


def test_the_panel_shows_what_changed_since_the_cases_version(world, version, client_for):
    case = register(world)
    draft = actions.start_draft(case_type=world.case_type, by=world.admin_contact)
    actions.add_item(version=draft, by=world.admin_contact, text="Fråga om grannemedgivande")
    advisory = draft.items.get(text="Tipsa om e-tjänsten")
    actions.remove_item(item=advisory, by=world.admin_contact)
    renamed = draft.items.get(text="Kontrollera fastighetsbeteckning")
    actions.change_item(
        item=renamed,
        by=world.admin_contact,
        text="Kontrollera fastighetsbeteckning i kartan",
        guidance="",
        link="",
        required=True,
    )
    actions.publish_version(version=draft, by=world.admin_contact, summary="Grannar och karta.")
    client = client_for(world.centre_staff)
    response = client.get(url(case))
    added = parts(response, "since__added")
    removed = parts(response, "since__removed")
    changed = parts(response, "since__changed")
    assert any("Fråga om grannemedgivande" in a for a in added)
    assert any("Tipsa om e-tjänsten" in r for r in removed)
    assert any("fastighetsbeteckning i kartan" in c for c in changed)
    assert "Grannar och karta." in page_text(response)
    # the case keeps its own items
    rows = parts(response, "checklist__item")
    assert any("Kontrollera fastighetsbeteckning" in r for r in rows)
    assert not any("grannemedgivande" in r for r in rows)


def queries_of(client, path: str) -> tuple[int, object]:
    """The queries one page view makes (Django clears the query log when a request starts)."""
    with CaptureQueriesContext(connection):
        response = client.get(path)
        return len(connection.queries), response


def test_the_checklist_panel_adds_at_most_two_queries_whatever_its_size(world, client_for):
    plain = register(world)
    client = client_for(world.centre_staff)
    client.get(url(plain))
    without, _response = queries_of(client, url(plain))
    big = published_checklist(world.case_type, [(f"Punkt {n}", n % 2 == 0) for n in range(30)])
    published_checklist(world.case_type, [("Ny", True)], number=2)
    case = register(world)
    case.case_type_version = big
    case.save(update_fields=["case_type_version"])
    for each in list(big.items.all())[:10]:
        actions.mark_item_done(case=case, item=each, by=world.centre_staff)
    client.get(url(case))
    with_items, response = queries_of(client, url(case))
    assert with_items <= without + 2
    assert len(parts(response, "checklist__item")) == 30


def test_an_item_with_no_version_pin_means_no_checklist(world, client_for):
    case = register(world)
    assert case.case_type_version is None
    assert open_required_items(case) == []
    assert ChecklistItem.objects.count() == 0
    assert 'id="checklista"' not in client_for(world.centre_staff).get(url(case)).content.decode()


def test_a_newer_version_without_items_still_shows_as_a_difference(world, version, client_for):
    """Regression (issue 4): an emptied checklist is a change too, not 'no newer version'."""
    case = register(world)
    draft = actions.start_draft(case_type=world.case_type, by=world.admin_contact)
    for each in list(draft.items.all()):
        actions.remove_item(item=each, by=world.admin_contact)
    actions.publish_version(version=draft, by=world.admin_contact, summary="Checklistan slopas.")
    response = client_for(world.centre_staff).get(url(case))
    removed = parts(response, "since__removed")
    assert len(removed) == 2
    assert "Sedan dess har version 2 publicerats:" in page_text(response)
    # the case's own (required) item still decides the close rule
    assert open_required_items(case) == ["Kontrollera fastighetsbeteckning"]


def test_unread_notices_for_the_case_type_are_shown_on_its_cases(world, version, client_for):
    from datetime import date

    case = register(world)
    notice = actions.publish_notice(
        administration=world.administration,
        by=world.admin_contact,
        title="Ny blankett",
        body="Använd den nya blanketten.",
        case_types=[world.case_type],
        effective_from=date(2026, 12, 7),
    )
    client = client_for(world.centre_staff)
    assert "1 oläst ändringsmeddelande för ärendetypen" in page_text(client.get(url(case)))
    actions.mark_notice_read(notice=notice, by=world.centre_staff)
    assert "oläst ändringsmeddelande" not in page_text(client.get(url(case)))


def test_a_long_checklist_and_log_cost_the_case_page_no_more_queries(
    world, client_for, django_assert_max_num_queries
):
    """The case page reads a 40-item checklist with 50 log events in the same number of queries
    as a 2-item checklist with a short log (issue 4: the page renders fast at that size)."""
    small = published_checklist(world.case_type, ITEMS)
    short = register(world)
    client = client_for(world.centre_staff)
    client.get(url(short))
    before, _response = queries_of(client, url(short))
    big = published_checklist(
        world.case_type, [(f"Punkt {n}", n % 2 == 0) for n in range(40)], number=small.number + 1
    )
    long = register(world)
    assert long.case_type_version == big
    for each in list(big.items.order_by("position"))[:13]:
        actions.mark_item_done(case=long, item=each, by=world.centre_staff)
    while long.events.count() < 50:
        case_actions.add_note(case=long, by=world.centre_staff, body="Ringde tillbaka.")
    with django_assert_max_num_queries(before):
        response = client.get(url(long))
    assert len(parts(response, "checklist__item")) == 40
    assert len(parts(response, "timeline__entry")) == 50


def test_every_row_form_posts_with_the_page_s_one_csrf_token(world, client_for):
    """The rows share one CSRF field and one URL prefix; a row's "Done" form, posted as the
    browser would, with CSRF checks on, ticks exactly that item."""
    version = published_checklist(world.case_type, ITEMS)
    case = register(world)
    client = client_for(world.centre_staff, csrf=True)
    page = client.get(url(case)).content.decode()
    markup = page[page.index('class="card checklist-panel"') :]
    markup = markup[: markup.index("</section>")]
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', markup))
    assert len(tokens) == 1 and markup.count("csrfmiddlewaretoken") == 2 * len(ITEMS)
    wanted = item(version, "Tipsa om e-tjänsten")
    action = f"/katalog/arende/{case.pk}/punkt/{wanted.pk}/klar/"
    assert f'action="{action}"' in markup
    response = client.post(action, {"csrfmiddlewaretoken": tokens.pop()})
    assert response.status_code == 302
    assert list(CaseChecklistMark.objects.filter(case=case).values_list("item", flat=True)) == [
        wanted.pk
    ]


def test_checklist_text_and_log_bodies_are_escaped_on_the_case_page(world, client_for):
    """Markup typed into an item or a note shows as text, never as markup."""
    published_checklist(world.case_type, [("<b>fet</b> punkt", True)])
    case = register(world)
    case_actions.add_note(case=case, by=world.centre_staff, body="<script>x()</script>\nrad två")
    markup = client_for(world.centre_staff).get(url(case)).content.decode()
    assert "<b>fet</b>" not in markup and "&lt;b&gt;fet&lt;/b&gt; punkt" in markup
    assert "<script>x()" not in markup
    assert "<p>&lt;script&gt;x()&lt;/script&gt;<br>rad två</p>" in markup
