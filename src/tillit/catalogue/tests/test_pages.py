"""The staff pages: the list with search, a type with its versions, editing a draft, notices."""

from __future__ import annotations

from tillit.cases.tests.pages import page_text
from tillit.catalogue.models import (
    CaseTypeVersion,
    ChangeNotice,
    NoticeReceipt,
    VersionStatus,
)
from tillit.catalogue.tests.factories import CaseTypeFactory, published_checklist


def test_the_list_searches_names_and_keywords(world, client_for):
    CaseTypeFactory(administration=world.other, name="Färdtjänst", keywords="taxi resor")
    client = client_for(world.centre_staff)
    everything = page_text(client.get("/katalog/"))
    assert "Färdtjänst" in everything and "Bygglov, fråga" in everything
    found = page_text(client.get("/katalog/", {"q": "taxi"}))
    assert "Färdtjänst" in found and "Bygglov, fråga" not in found
    assert "1 ärendetyp matchar ”taxi”." in found


def test_a_contact_person_edits_a_draft_and_publishes_it_with_a_notice(world, client_for):
    published_checklist(world.case_type, [("Kontrollera ritningen", True)])
    client = client_for(world.admin_contact)
    response = client.post(f"/katalog/typer/{world.case_type.pk}/utkast/")
    draft = CaseTypeVersion.objects.get(case_type=world.case_type, status=VersionStatus.DRAFT)
    assert response["Location"] == f"/katalog/utkast/{draft.pk}/"
    client.post(
        f"/katalog/utkast/{draft.pk}/",
        {"intent": "add", "add-text": "Fråga om strandskydd", "add-required": "on"},
    )
    refused = client.post(f"/katalog/utkast/{draft.pk}/", {"intent": "add", "add-text": ""})
    assert refused.status_code == 422
    assert 'href="#id_add-text"' in refused.content.decode()
    item = draft.items.get(text="Kontrollera ritningen")
    client.post(
        f"/katalog/utkast/{draft.pk}/",
        {
            "intent": "change",
            "item": item.pk,
            f"item-{item.pk}-text": "Kontrollera ritningen och situationsplanen",
            f"item-{item.pk}-guidance": "Skalan ska framgå.",
        },
    )
    client.post(f"/katalog/utkast/{draft.pk}/", {"intent": "up", "item": item.pk + 1})
    assert list(draft.items.order_by("position").values_list("text", "required")) == [
        ("Fråga om strandskydd", True),
        ("Kontrollera ritningen och situationsplanen", False),
    ]
    published = client.post(
        f"/katalog/utkast/{draft.pk}/",
        {"intent": "publish", "publish-summary": "Strandskydd och situationsplan."},
    )
    assert published["Location"] == "/katalog/meddelanden/"
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    notice = ChangeNotice.objects.get()
    assert notice.published_at is None and notice.version == draft
    page = client.get("/katalog/meddelanden/").content.decode()
    assert f'name="notice" value="{notice.pk}"' in page
    client.post(
        "/katalog/meddelanden/publicera/",
        {
            "notice": notice.pk,
            f"notice-{notice.pk}-title": "Bygglov: strandskydd",
            f"notice-{notice.pk}-body": "Fråga alltid om strandskydd.",
            f"notice-{notice.pk}-case_types": [world.case_type.pk],
            f"notice-{notice.pk}-effective_from": "2026-12-07",
        },
    )
    notice.refresh_from_db()
    assert notice.published_at is not None and notice.title == "Bygglov: strandskydd"
    type_page = page_text(client.get(f"/katalog/typer/{world.case_type.pk}/"))
    assert "Version 2" in type_page and "Strandskydd och situationsplan." in type_page


def test_centre_staff_see_unread_notices_on_the_start_page_and_mark_them_read(world, client_for):
    from datetime import date

    from tillit.catalogue import actions

    notice = actions.publish_notice(
        administration=world.administration,
        by=world.admin_contact,
        title="Nya blanketter för bygglov",
        body="Den gamla blanketten gäller inte längre.",
        case_types=[world.case_type],
        effective_from=date(2026, 12, 7),
    )
    client = client_for(world.centre_staff)
    start = page_text(client.get("/"))
    assert "Nya blanketter för bygglov" in start
    client.post(f"/katalog/meddelanden/{notice.pk}/last/", {"next": "/"})
    assert NoticeReceipt.objects.filter(notice=notice, person=world.centre_staff).exists()
    assert "Nya blanketter för bygglov" not in page_text(client.get("/"))
    feed = page_text(client_for(world.admin_contact).get("/katalog/meddelanden/"))
    assert "Läst av 1 person." in feed
    # administration staff are not the readers notices are for
    assert "Nya blanketter" not in page_text(client_for(world.admin_staff).get("/"))
