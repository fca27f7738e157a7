"""Files entering a case: real files of every allowed kind are kept, everything else is refused
with the file's name and the reason; storage is outside the web root under a generated name, and
a rollback leaves neither rows nor files behind."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from tillit.cases import actions
from tillit.cases.attachments import (
    Refused,
    atomic_with_files,
    check_file,
    check_files,
    citizen_attachments,
    clean_name,
    open_for_citizen,
    store_files,
    sweep_orphan_files,
)
from tillit.cases.models import Attachment, CaseEvent
from tillit.cases.states import EventKind
from tillit.cases.tests.factories import register
from tillit.public.tests import samples
from tillit.public.tests.samples import upload


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def english():
    """Reasons are asserted in English here; the Swedish wording is checked once below."""
    with translation.override("en"):
        yield


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(Refused) as caught:
        check_file(upload(name, content))
    return caught.value.message


# --- what is accepted ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("ritning.pdf", samples.pdf(), "application/pdf"),
        ("foto.JPG", samples.JPEG, "image/jpeg"),
        ("foto.jpeg", samples.JPEG, "image/jpeg"),
        ("karta.png", samples.png(), "image/png"),
        ("IMG_0042.HEIC", samples.heic(), "image/heic"),
        (
            "ansökan.docx",
            samples.docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("synpunkt.odt", samples.odt(), "application/vnd.oasis.opendocument.text"),
        ("anteckning.txt", "Hej!\nSnön är inte röjd.\n".encode(), "text/plain; charset=utf-8"),
        ("gammal.txt", "Snön är inte röjd.".encode("cp1252"), "text/plain; charset=windows-1252"),
    ],
)
def test_each_allowed_kind_is_accepted_by_its_content(name, content, content_type):
    """Files of every allowed kind pass, typed by what their bytes are."""
    checked = check_file(upload(name, content, content_type="application/octet-stream"))
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.name == name


# --- what is refused, and how it is said --------------------------------------------------------


def test_a_type_that_does_not_match_its_extension_is_refused_naming_both():
    message = refusal("kvitto.pdf", samples.png())
    assert "kvitto.pdf" in message
    assert "PDF" in message and "PNG" in message


def test_refusals_are_in_swedish_by_default():
    with translation.override("sv"):
        message = refusal("kvitto.pdf", samples.png())
    assert message == "kvitto.pdf: namnet säger ett PDF-dokument, men innehållet är en PNG-bild."


def test_an_unknown_binary_named_as_a_document_is_refused():
    assert "unknown kind" in refusal("brev.docx", os.urandom(2000))


def test_an_executable_is_refused_by_its_extension_with_the_allowed_list():
    message = refusal("program.exe", b"MZ\x90\x00" + b"\x00" * 200)
    assert "program.exe" in message and "PDF, JPEG, PNG" in message


@pytest.mark.parametrize("name", ["bilder.zip", "bilder.docx", "bilder.pdf"])
def test_an_archive_is_refused_whatever_it_is_called(name):
    assert "archive" in refusal(name, samples.plain_zip())


def test_a_zip_bomb_shaped_as_a_docx_is_refused_without_unpacking_it():
    bomb = samples.zip_bomb(megabytes=50)
    assert len(bomb) < 1024 * 1024  # 50 MB of zeros in well under a megabyte
    started = time.perf_counter()
    assert "zip bomb" in refusal("ansökan.docx", bomb)
    assert time.perf_counter() - started < 1.0  # nothing was unpacked


def test_overlapping_zip_entries_are_refused():
    assert "zip bomb" in refusal("ansökan.docx", samples.overlapping_zip())


def test_a_docx_with_macros_is_refused():
    message = refusal("makro.docx", samples.docx(main=samples.DOCX_MACRO_MAIN))
    assert "macros" in message
    with_vba = samples.docx(extra={"word/vbaProject.bin": b"\x00" * 100})
    assert "macros" in refusal("makro.docx", with_vba)


def test_a_docx_with_an_embedded_archive_is_refused():
    nested = samples.docx(extra={"word/embeddings/paket.zip": samples.plain_zip()})
    assert "archives" in refusal("brev.docx", nested)


def test_a_docx_with_a_path_traversal_entry_is_refused():
    assert "damaged" in refusal("brev.docx", samples.docx(extra={"../../evil.txt": b"x"}))


def test_an_odt_named_docx_is_told_apart():
    message = refusal("brev.docx", samples.odt())
    assert "ODT" in message and "DOCX" in message


def test_a_jpeg_with_an_archive_appended_is_refused_as_a_polyglot():
    assert "hidden inside" in refusal("foto.jpg", samples.JPEG + samples.plain_zip())


def test_a_png_with_a_pdf_header_near_its_start_is_refused():
    content = samples.png()
    polyglot = content[:33] + b"%PDF-1.4 hidden" + content[33:]
    assert "PDF" in refusal("karta.png", polyglot)


def test_a_png_with_data_after_its_end_is_refused():
    assert "after the end" in refusal("karta.png", samples.png() + b"<?php echo 1; ?>")


def test_a_text_file_that_is_a_web_page_is_refused():
    assert "web-page code" in refusal("brev.txt", b"<html><script>alert(1)</script></html>")


def test_a_text_file_with_binary_data_is_refused():
    assert "binary data" in refusal("brev.txt", b"abc\x00\x01\x02def")


def test_a_pdf_with_an_embedded_file_is_refused():
    risky = samples.pdf(extra=b" /Names << /EmbeddedFiles << >> >>")
    assert "embedded files" in refusal("ritning.pdf", risky)


def test_a_truncated_pdf_is_refused():
    assert "damaged" in refusal("ritning.pdf", samples.pdf()[:200])


def test_an_empty_file_is_refused():
    assert "empty" in refusal("tom.pdf", b"")


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.TILLIT_ATTACHMENT_MAX_MB = 1
    big = samples.pdf(extra=b" " * (1024 * 1024))
    assert "larger than 1 MB" in refusal("stor.pdf", big)


@pytest.mark.parametrize(
    "raw", ["../../etc/passwd.pdf", "..\\..\\boot.ini.txt", "C:evil.pdf", "..", "mapp/fil.pdf"]
)
def test_a_name_with_a_path_is_refused(raw):
    with pytest.raises(Refused, match="folder path"):
        clean_name(raw)


@pytest.mark.parametrize("raw", ["faktura\u202efdp.exe", "rad\nbrytning.pdf", "nul\x00.pdf"])
def test_a_name_with_control_or_direction_characters_is_refused(raw):
    with pytest.raises(Refused, match="control characters"):
        clean_name(raw)


def test_a_long_name_is_shortened_keeping_its_extension():
    name = clean_name("å" * 300 + ".pdf")
    assert len(name) <= 255 and name.endswith(".pdf")


def test_a_batch_names_every_refused_file_and_keeps_none(settings):
    with pytest.raises(ValidationError) as caught:
        check_files(
            [
                upload("ok.pdf", samples.pdf()),
                upload("fel.pdf", samples.png()),
                upload("arkiv.zip", samples.plain_zip()),
            ]
        )
    messages = caught.value.message_dict["files"]
    assert len(messages) == 2
    assert "fel.pdf" in messages[0] and "arkiv.zip" in messages[1]


def test_more_files_than_the_limit_are_refused(settings):
    settings.TILLIT_ATTACHMENT_MAX_FILES = 2
    with pytest.raises(ValidationError, match="at most 2 files"):
        check_files([upload(f"{n}.png", samples.png()) for n in range(3)])


def test_the_same_file_chosen_twice_is_kept_once():
    checked = check_files([upload("a.png", samples.png()), upload("a.png", samples.png())])
    assert len(checked) == 1


# --- storing ------------------------------------------------------------------------------------


def test_stored_files_get_rows_one_event_and_generated_names(world, media):
    case = register(world)
    checked = check_files([upload("ritning.pdf", samples.pdf()), upload("foto.jpg", samples.JPEG)])
    with transaction.atomic():
        stored = store_files(case=case, files=checked, by=None, shared_with_citizen=True)
    assert [a.original_name for a in stored] == ["ritning.pdf", "foto.jpg"]
    for attachment in stored:
        path = Path(attachment.file.path)
        assert path.is_relative_to(media)
        assert path.name != attachment.original_name
        assert attachment.file.name.startswith("cases/")
        assert len(attachment.sha256) == 64
    assert Path(stored[0].file.path).read_bytes() == samples.pdf()
    event = CaseEvent.objects.get(case=case, kind=EventKind.ATTACHMENT)
    assert event.actor is None and event.actor_label == "Karin Nyström"
    assert [f["name"] for f in event.data["files"]] == ["ritning.pdf", "foto.jpg"]
    assert {a.event_id for a in stored} == {event.pk}


@pytest.mark.django_db(transaction=True)
def test_store_outside_a_transaction_is_refused():
    from tillit.cases.tests.factories import make_world

    case = register(make_world())
    checked = check_files([upload("a.png", samples.png())])
    with pytest.raises(RuntimeError):
        store_files(case=case, files=checked, by=None, shared_with_citizen=True)


@pytest.mark.django_db(transaction=True)
def test_a_rollback_leaves_neither_rows_nor_files(media):
    from tillit.cases.tests.factories import make_world

    world = make_world()
    case = register(world)
    checked = check_files([upload("a.png", samples.png()), upload("b.pdf", samples.pdf())])
    with pytest.raises(ZeroDivisionError), atomic_with_files():
        store_files(case=case, files=checked, by=None, shared_with_citizen=True)
        raise ZeroDivisionError  # e.g. the next step of the caller fails
    assert not Attachment.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.ATTACHMENT).exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


@pytest.mark.django_db(transaction=True)
def test_the_sweeper_removes_files_a_rollback_elsewhere_left_behind(media):
    from tillit.cases.tests.factories import make_world

    world = make_world()
    case = register(world)
    with transaction.atomic():
        kept = store_files(
            case=case,
            files=check_files([upload("kvar.png", samples.png())]),
            by=None,
            shared_with_citizen=True,
        )
    with pytest.raises(ZeroDivisionError), transaction.atomic():  # not atomic_with_files
        store_files(
            case=case,
            files=check_files([upload("borta.pdf", samples.pdf())]),
            by=None,
            shared_with_citizen=True,
        )
        raise ZeroDivisionError
    files = sorted(p for p in media.rglob("*") if p.is_file())
    assert len(files) == 2
    assert sweep_orphan_files() == 0  # still within the grace period
    assert sweep_orphan_files(older_than=timedelta(0)) == 1
    assert [p for p in media.rglob("*") if p.is_file()] == [Path(kept[0].file.path)]


def test_staff_outside_the_owning_unit_cannot_add_files(world):
    case = register(world)
    checked = check_files([upload("a.png", samples.png())])
    with pytest.raises(ValidationError, match="owning unit"), transaction.atomic():
        store_files(case=case, files=checked, by=world.other_staff, shared_with_citizen=False)
    with transaction.atomic():
        stored = store_files(
            case=case, files=checked, by=world.centre_staff, shared_with_citizen=False
        )
    assert stored[0].event.actor == world.centre_staff


def test_a_cancelled_case_takes_no_files(world):
    case = register(world)
    actions.cancel_case(case=case, by=world.centre_staff, reason="Dubblett.")
    checked = check_files([upload("a.png", samples.png())])
    with pytest.raises(ValidationError, match="cancelled"), transaction.atomic():
        store_files(case=case, files=checked, by=None, shared_with_citizen=True)


def test_a_case_holds_a_limited_number_of_citizen_files(world, settings):
    settings.TILLIT_ATTACHMENT_MAX_PER_CASE = 2
    case = register(world)
    with transaction.atomic():
        store_files(
            case=case,
            files=check_files([upload("1.png", samples.png()), upload("2.pdf", samples.pdf())]),
            by=None,
            shared_with_citizen=True,
        )
    with pytest.raises(ValidationError, match="at most 2 files"), transaction.atomic():
        store_files(
            case=case,
            files=check_files([upload("3.png", samples.png())]),
            by=None,
            shared_with_citizen=True,
        )


# --- reading for the citizen --------------------------------------------------------------------


def test_the_citizen_opens_their_own_and_shared_files_but_not_internal_ones(world):
    case = register(world)
    with transaction.atomic():
        mine = store_files(
            case=case,
            files=check_files([upload("min.png", samples.png())]),
            by=None,
            shared_with_citizen=True,
        )[0]
        internal = store_files(
            case=case,
            files=check_files([upload("intern.pdf", samples.pdf())]),
            by=world.centre_staff,
            shared_with_citizen=False,
        )[0]
    assert list(citizen_attachments(case)) == [mine]
    attachment, handle = open_for_citizen(case, mine.pk)
    with handle:
        assert handle.read() == samples.png()
    assert attachment.original_name == "min.png"
    from tillit.cases.attachments import AttachmentNotFound

    with pytest.raises(AttachmentNotFound):
        open_for_citizen(case, internal.pk)
    other = register(world, subject="Ett annat ärende")
    with pytest.raises(AttachmentNotFound):
        open_for_citizen(other, mine.pk)
    with pytest.raises(AttachmentNotFound):
        open_for_citizen(case, "nonsense")
