"""The catalogue to and from CSV and JSON (issue 4): all or nothing, every bad row named, a round
trip that changes nothing, and only the keepers of an administration's types import them."""

from __future__ import annotations

import csv
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tillit.cases.tests.pages import page_text
from tillit.catalogue import actions, io
from tillit.catalogue.models import CaseType, CaseTypeVersion, ChecklistItem, VersionStatus
from tillit.catalogue.tests.factories import CaseTypeFactory, published_checklist
from tillit.organisation.models import Role
from tillit.organisation.tests.factories import PersonFactory

HEADER = ";".join(io.COLUMNS)


def row(**overrides: str) -> str:
    values = {
        "code": "fardtjanst",
        "name": "Färdtjänst",
        "public_name": "Ansök om färdtjänst",
        "administration": "SBF",
        "routing": "centre_hands_over",
        "service_days_centre": "1",
        "service_days_administration": "15",
        "documentation_level": "standard",
        "is_public": "ja",
        "default_secret": "nej",
        "retention_years": "",
        "keywords": "taxi resor",
        "service_description": "Resor med taxi för den som inte kan åka buss.",
        "item_text": "Fråga om läkarintyg",
        "item_required": "ja",
        "item_guidance": "",
        "item_link": "",
    }
    values.update(overrides)
    return ";".join(values[c] for c in io.COLUMNS)


def csv_file(*rows: str) -> bytes:
    return ("\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n").encode()


def refusal(data: bytes, by, filename: str = "typer.csv") -> list[tuple[int, str]]:
    with pytest.raises(io.ImportRefused) as refused:
        actions.import_catalogue(data=data, filename=filename, by=by)
    return refused.value.errors


@pytest.fixture
def catalogue(world):
    published_checklist(
        world.case_type, [('=HYPERLINK("http://evil")', True), ("Kontrollera ritningen", False)]
    )
    world.case_type.keywords = "@altan +staket -plank"
    world.case_type.save()
    CaseTypeFactory(administration=world.other, code="ekonomiskt-bistand", name="Bistånd")
    return world


def snapshot():
    return (
        sorted(CaseType.objects.values_list()),
        sorted(CaseTypeVersion.objects.values_list("case_type__code", "number", "status")),
        sorted(ChecklistItem.objects.values_list("version_id", "key", "text", "required")),
    )


def test_the_csv_export_is_for_swedish_excel_and_defuses_formulas(catalogue, client_for):
    response = client_for(catalogue.centre_staff).get("/katalog/export.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == io.ALL_COLUMNS
    cells = [cell for r in rows for cell in r]
    assert '\'=HYPERLINK("http://evil")' in cells
    assert "'@altan +staket -plank" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["ekonomiskt-bistand"][3] == "SOC"


def test_the_json_export_lists_types_with_their_published_checklist(catalogue, client_for):
    response = client_for(catalogue.centre_staff).get("/katalog/export.json")
    records = {r["code"]: r for r in json.loads(response.content)}
    bygglov = records[catalogue.case_type.code]
    assert bygglov["administration"] == "SBF"
    assert [i["text"] for i in bygglov["checklist"]] == [
        '=HYPERLINK("http://evil")',
        "Kontrollera ritningen",
    ]
    assert records["ekonomiskt-bistand"]["checklist"] == []


def test_the_list_offers_the_downloads_to_staff_and_the_import_to_keepers(world, client_for):
    staff = client_for(world.centre_staff).get("/katalog/").content.decode()
    assert "/katalog/export.csv" in staff and "/katalog/import/" not in staff
    keeper = client_for(world.admin_contact).get("/katalog/").content.decode()
    assert "/katalog/import/" in keeper


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_a_round_trip_changes_nothing(catalogue, kind):
    admin = PersonFactory(member_of=catalogue.centre, member_of__role=Role.ADMINISTRATOR)
    data = io.export_csv() if kind == "csv" else io.export_json()
    before = snapshot()
    summary = actions.import_catalogue(data=data, filename=f"typer.{kind}", by=admin)
    assert snapshot() == before
    assert summary.created == [] and summary.updated == []
    assert len(summary.unchanged) == 2


def test_new_types_are_created_and_existing_ones_get_a_draft(catalogue):
    published = catalogue.case_type.versions.get()
    code = catalogue.case_type.code
    data = csv_file(
        row(),
        row(item_text="Fråga om rullstol", item_required="nej", item_link="https://example.se"),
        row(code=code, name="Bygglov, fråga", item_text="Kontrollera ritningen"),
        row(code=code, name="Bygglov, fråga", item_text="Ny punkt", item_guidance="Se PBL"),
    )
    summary = actions.import_catalogue(data=data, filename="typer.csv", by=catalogue.admin_contact)
    assert summary.created == ["fardtjanst"] and summary.updated == [code]
    new = CaseType.objects.get(code="fardtjanst")
    assert new.administration == catalogue.administration and new.service_days_administration == 15
    new_draft = new.versions.get()
    assert new_draft.status == VersionStatus.DRAFT
    assert [(i.text, i.required) for i in new_draft.items.all()] == [
        ("Fråga om läkarintyg", True),
        ("Fråga om rullstol", False),
    ]
    published.refresh_from_db()
    assert published.status == VersionStatus.PUBLISHED
    assert [i.text for i in published.items.all()] == [
        '=HYPERLINK("http://evil")',
        "Kontrollera ritningen",
    ]
    draft = catalogue.case_type.versions.get(status=VersionStatus.DRAFT)
    assert draft.number == 2
    assert [i.text for i in draft.items.all()] == ["Kontrollera ritningen", "Ny punkt"]
    kept = published.items.get(text="Kontrollera ritningen").key
    assert draft.items.get(text="Kontrollera ritningen").key == kept


REFUSALS = [
    ({"administration": "XYZ"}, "Okänd förvaltningskod ”XYZ”."),
    ({"routing": "somewhere"}, "Okänd hantering ”somewhere”."),
    ({"documentation_level": "huge"}, "Okänd dokumentationsnivå ”huge”."),
    ({"service_days_centre": "två"}, "service_days_centre måste vara ett heltal"),
    ({"service_days_administration": "-3"}, "service_days_administration måste vara ett heltal"),
    ({"retention_years": "1.5"}, "retention_years måste vara ett heltal"),
    ({"is_public": "kanske"}, "is_public måste vara ”ja” eller ”nej”"),
    ({"name": ""}, "Namnet saknas."),
    ({"code": ""}, "Koden saknas."),
    ({"code": "med mellanslag"}, "får bara innehålla"),
    ({"name": "x" * 161}, "name är längre än 160 tecken."),
    ({"item_text": "x" * 301}, "Checklistpunkt 1 är längre än 300 tecken."),
    ({"item_text": "", "item_guidance": "Bara vägledning"}, "Checklistpunkt 1 saknar text."),
    ({"item_link": "inte en länk"}, "Checklistpunkt 1 har en ogiltig länk."),
]


@pytest.mark.parametrize(("change", "reason"), REFUSALS)
def test_every_bad_row_is_named_and_nothing_is_imported(world, change, reason):
    before = snapshot()
    errors = refusal(
        csv_file(row(code="ok-typ"), row(**{"code": "bad-typ", **change})), world.admin_contact
    )
    assert [number for number, _reason in errors] == [3]
    assert reason in errors[0][1]
    assert snapshot() == before


def test_a_duplicate_code_is_refused_with_both_rows(world):
    errors = refusal(csv_file(row(code="a"), row(code="b"), row(code="a")), world.admin_contact)
    assert errors == [(4, "Koden ”a” används redan på rad 2.")]


def test_rows_of_one_type_must_agree(world):
    errors = refusal(csv_file(row(), row(name="Annat namn")), world.admin_contact)
    assert errors == [(3, "Ärendetypens kolumner skiljer sig från rad 2 med samma kod.")]


def test_all_bad_rows_are_reported_at_once(world):
    errors = refusal(
        csv_file(row(code="a", administration="NOPE"), row(code="b"), row(code="c", name="")),
        world.admin_contact,
    )
    assert [number for number, _reason in errors] == [2, 4]
    assert not CaseType.objects.filter(code="b").exists()


def test_json_entries_are_checked_the_same_way(world):
    good = json.loads(io.export_json())[0]
    bad = dict(good, code="ny", routing="nowhere", checklist=[{"text": ""}])
    errors = refusal(json.dumps([good, bad]).encode(), world.admin_contact, "typer.json")
    assert errors == [
        (2, "Okänd hantering ”nowhere”."),
        (2, "Checklistpunkt 1 saknar text."),
    ]
    assert refusal(b"{not json", world.admin_contact, "typer.json")[0][0] == 0
    assert refusal(b'{"code": "x"}', world.admin_contact, "typer.json")[0][0] == 0


def test_missing_columns_and_bad_encoding_are_refused(world):
    assert refusal(b"code;name\r\nx;y\r\n", world.admin_contact)[0][0] == 1
    assert refusal(HEADER.encode("utf-16"), world.admin_contact)[0][0] == 0


def test_a_contact_person_imports_only_their_own_administrations_types(catalogue):
    contact = catalogue.admin_contact
    errors = refusal(csv_file(row(code="ny-soc", administration="SOC")), contact)
    assert errors == [(2, "Du får inte importera ärendetyper för Socialförvaltningen.")]
    errors = refusal(csv_file(row(code="ekonomiskt-bistand", administration="SBF")), contact)
    assert errors == [(2, "Ärendetypen ”ekonomiskt-bistand” hör till en annan förvaltning.")]
    assert CaseType.objects.get(code="ekonomiskt-bistand").administration == catalogue.other


def test_staff_who_keep_no_catalogue_may_not_open_the_import(world, client_for):
    assert client_for(world.centre_staff).get("/katalog/import/").status_code == 404
    upload = SimpleUploadedFile("typer.csv", csv_file(row()), content_type="text/csv")
    response = client_for(world.admin_staff).post("/katalog/import/", {"file": upload})
    assert response.status_code == 404
    assert not CaseType.objects.filter(code="fardtjanst").exists()


def test_the_import_page_lists_the_bad_rows_in_swedish(world, client_for):
    client = client_for(world.admin_contact)
    assert client.get("/katalog/import/").status_code == 200
    upload = SimpleUploadedFile(
        "typer.csv", csv_file(row(code="a", routing="x"), row(code="b", name="")), "text/csv"
    )
    response = client.post("/katalog/import/", {"file": upload})
    assert response.status_code == 422
    text = page_text(response)
    assert "Inget importerades: 2 problem i filen." in text
    assert "Rad 2: Okänd hantering ”x”." in text and "Rad 3: Namnet saknas." in text
    upload = SimpleUploadedFile("typer.csv", csv_file(row()), "text/csv")
    response = client.post("/katalog/import/", {"file": upload}, follow=True)
    assert "Importerat: 1 nya ärendetyper, 0 ändrade, 0 oförändrade." in page_text(response)


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(world, client_for):
    upload = SimpleUploadedFile("typer.csv", b"x" * (io.MAX_UPLOAD_BYTES + 1), "text/csv")
    response = client_for(world.admin_contact).post("/katalog/import/", {"file": upload})
    assert response.status_code == 422
    assert "Filen är större än 2 MB" in page_text(response)


def test_an_open_draft_takes_the_imported_checklist_and_stays_the_only_draft(catalogue):
    code = catalogue.case_type.code
    draft = actions.start_draft(case_type=catalogue.case_type, by=catalogue.admin_contact)
    actions.add_item(version=draft, by=catalogue.admin_contact, text="Halvfärdig punkt")
    data = csv_file(row(code=code, name="Bygglov, fråga", item_text="Bara denna"))
    actions.import_catalogue(data=data, filename="typer.csv", by=catalogue.admin_contact)
    drafts = catalogue.case_type.versions.filter(status=VersionStatus.DRAFT)
    assert [d.pk for d in drafts] == [draft.pk]
    assert [i.text for i in draft.items.all()] == ["Bara denna"]


def test_changed_type_fields_apply_without_a_draft_when_the_checklist_is_the_same(catalogue):
    admin = PersonFactory(member_of=catalogue.centre, member_of__role=Role.ADMINISTRATOR)
    records = json.loads(io.export_json())
    for record in records:
        if record["code"] == catalogue.case_type.code:
            record["routing"] = "administration"
            record["service_days_administration"] = 20
    summary = actions.import_catalogue(
        data=json.dumps(records).encode(), filename="typer.json", by=admin
    )
    assert summary.updated == [catalogue.case_type.code]
    catalogue.case_type.refresh_from_db()
    assert catalogue.case_type.routing == "administration"
    assert catalogue.case_type.service_days_administration == 20
    assert not catalogue.case_type.versions.filter(status=VersionStatus.DRAFT).exists()


def test_tab_and_carriage_return_starts_are_defused_too(world):
    world.case_type.service_description = "\t=1+1"
    world.case_type.public_name = "-minus"
    world.case_type.save()
    text = io.export_csv().decode("utf-8-sig")
    assert ";'\t=1+1" in text and ";'-minus;" in text
