"""Upload attacks through every surface that takes files: the public web form (new case and the
status page's message), e-mail attachments (the mailbox's ingest), and the catalogue import.

Every hostile file is refused with a clear Swedish message, or kept under a safe name; nothing is
written outside MEDIA_ROOT (the whole temporary folder around it is compared before and after);
downloads are attachments with `nosniff` and a type that is not rendered as a page. (Staff have
no upload form on the case page, and the API takes no files: both have nothing to attack.)
"""

from __future__ import annotations

import gzip
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tillit.cases import actions
from tillit.cases.models import Attachment, Case
from tillit.cases.tests.factories import World, register
from tillit.mailbox.actions import ingest_message, set_up_mailbox
from tillit.mailbox.samples import EXE, citizen_mail
from tillit.public.tests import samples
from tillit.public.tests.helpers import case_data, form_key

from .test_hostile_forms import signed_in

PDF = samples.pdf()
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"

# name, bytes: files whose content is the attack
BAD_CONTENT: dict[str, tuple[str, bytes]] = {
    "exe renamed pdf": ("faktura.pdf", EXE),
    "html renamed pdf": ("brev.pdf", HTML),
    "html renamed txt": ("brev.txt", HTML),
    "svg with script": ("bild.svg", SVG),
    "svg renamed png": ("bild.png", SVG),
    "gifar (jpeg + zip)": ("foto.jpg", samples.JPEG + samples.plain_zip()),
    "pdf + html polyglot": ("ritning.pdf", samples.pdf(extra=HTML)),
    "pdf with html first": ("ritning.pdf", HTML + PDF),
    "zip bomb as docx": ("ansokan.docx", samples.zip_bomb(50)),
    "zip bomb as zip": ("bilder.zip", samples.zip_bomb(50)),
    "overlapping zip": ("ansokan.docx", samples.overlapping_zip()),
    "nested zip": ("bilder.zip", samples.plain_zip({"inre.zip": samples.plain_zip()})),
    "nested zip as docx": ("ansokan.docx", samples.plain_zip({"inre.zip": samples.plain_zip()})),
    "gzip bomb as txt": ("logg.txt", gzip.compress(b"\x00" * 30_000_000)),
    "gzip bomb as gz": ("logg.txt.gz", gzip.compress(b"\x00" * 30_000_000)),
}

# hostile names on a harmless PDF
BAD_NAMES = [
    "../../etc/passwd.pdf",
    "../../../../../../tmp/x.pdf",
    "/etc/passwd.pdf",
    "C:\\Windows\\System32\\x.pdf",
    "..\\..\\x.pdf",
    "nul\x00byte.pdf",
    "CON.pdf",
    "aux.pdf",
    "LPT1.pdf",
    "a" * 300 + ".pdf",
    "faktura\u202efdp.pdf",
    unicodedata.normalize("NFD", "ansökan.pdf"),
    "\ufb01l\u0435.pdf",  # a ligature and a Cyrillic e
    "ritning.pdf.",
    " .pdf",
    "<script>alert(1)</script>.pdf",
]

WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))} | {
    f"lpt{i}" for i in range(10)
}


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def outside(media: Path, tmp_path: Path) -> Iterator[None]:
    """Nothing is written outside MEDIA_ROOT (the temporary folder around it is compared)."""
    before = files_under(tmp_path) - files_under(media)
    yield
    after = files_under(tmp_path) - files_under(media)
    assert after == before, f"written outside MEDIA_ROOT: {after - before}"


def assert_safe_name(name: str) -> None:
    assert name and len(name) <= 255
    assert "/" not in name and "\\" not in name and ".." not in name
    assert all(unicodedata.category(c)[0] != "C" for c in name), repr(name)
    assert unicodedata.is_normalized("NFC", name)
    assert name.split(".")[0].strip().lower() not in WINDOWS_RESERVED, name


def assert_stored_safely(media: Path) -> None:
    for attachment in Attachment.objects.all():
        assert_safe_name(attachment.original_name)
        path = Path(attachment.file.path).resolve()
        assert path.is_relative_to(media.resolve()), path
        assert path.exists()


def assert_refused_in_swedish(response, name: str | None = None) -> None:
    assert response.status_code in {400, 413, 422}, response.status_code
    html = response.content.decode()
    assert 'class="errorlist"' in html or "error-summary" in html
    assert 'lang="sv"' in html


def assert_safe_download(response) -> None:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment"), response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    kind = response["Content-Type"].split(";")[0]
    assert kind not in {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml"}, kind
    assert "sandbox" in response.get("Content-Security-Policy", ""), "no sandbox CSP"


# --- the public web form ------------------------------------------------------------------------


def public_submit(client: Client, world: World, files: list[SimpleUploadedFile]):
    key = form_key(client, reverse("public:new_case"))
    data = case_data(world, key, email="ny.invanare@example.se") | {"attachments": files}
    return client.post(reverse("public:new_case"), data)


@pytest.mark.parametrize("attack", list(BAD_CONTENT))
def test_the_web_form_refuses_hostile_content(world, client, media, outside, attack):
    """A file that is not what it says, a polyglot or an archive is refused with a message."""
    name, content = BAD_CONTENT[attack]
    response = public_submit(client, world, [SimpleUploadedFile(name, content, "application/pdf")])
    assert_refused_in_swedish(response)
    assert not Case.objects.exists() and not Attachment.objects.exists()
    assert files_under(media) == set()


@pytest.mark.parametrize("name", BAD_NAMES, ids=range(len(BAD_NAMES)))
def test_the_web_form_refuses_or_cleans_hostile_names(world, client, media, outside, name):
    """A hostile name is refused, or the file is kept under a generated path with a safe name."""
    response = public_submit(client, world, [SimpleUploadedFile(name, PDF, "application/pdf")])
    assert response.status_code < 500
    if response.status_code >= 400:
        assert_refused_in_swedish(response)
        assert not Attachment.objects.exists()
        return
    assert response.status_code == 302
    assert_stored_safely(media)
    case = Case.objects.get()
    staff = signed_in(world.centre_staff)
    attachment = Attachment.objects.get()
    download = staff.get(reverse("cases:attachment", args=[case.pk, attachment.pk]))
    assert_safe_download(download)
    assert b"".join(download.streaming_content) == PDF


def test_an_oversized_file_is_refused(world, client, media, outside, settings):
    settings.TILLIT_ATTACHMENT_MAX_MB = 1
    big = samples.pdf(extra=b"0" * (1024 * 1024 + 10))
    response = public_submit(client, world, [SimpleUploadedFile("stor.pdf", big)])
    assert_refused_in_swedish(response)
    assert files_under(media) == set()


def test_a_request_body_over_the_limit_is_refused_before_any_file_is_read(
    world, client, media, outside, settings
):
    """More bytes than all allowed files together: 413, nothing stored."""
    settings.TILLIT_ATTACHMENT_MAX_MB = 1
    settings.TILLIT_ATTACHMENT_MAX_FILES = 2
    files = [SimpleUploadedFile(f"f{i}.pdf", PDF + b"%" * 1_200_000) for i in range(3)]
    response = public_submit(client, world, files)
    assert response.status_code == 413
    assert files_under(media) == set() and not Case.objects.exists()


def test_a_text_field_over_data_upload_max_memory_size_is_not_a_server_error(
    world, client, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    key = form_key(client, reverse("public:new_case"))
    data = case_data(world, key, description="x" * 200_000)
    body = "&".join(f"{k}={v}" for k, v in data.items())
    response = client.post(
        reverse("public:new_case"), body, content_type="application/x-www-form-urlencoded"
    )
    assert 400 <= response.status_code < 500
    assert not Case.objects.exists()


def test_the_status_page_message_refuses_hostile_files_too(world, media, outside):
    case = register(world)
    token = actions.issue_status_link(case=case)
    client = Client(headers={"Accept-Language": "sv"})
    url = reverse("public:status", args=[token])
    for attack, (name, content) in BAD_CONTENT.items():
        cache.clear()  # the form's rate limit is not what is tested here
        response = client.post(
            url,
            {
                "form_key": form_key(client, url),
                "body": "Här är filen.",
                "attachments": [SimpleUploadedFile(name, content)],
            },
        )
        assert response.status_code == 400, attack
        assert 'class="errorlist"' in response.content.decode(), attack
    assert not Attachment.objects.exists() and files_under(media) == set()


# --- e-mail attachments -------------------------------------------------------------------------


@pytest.fixture
def mailbox(world):
    return set_up_mailbox(unit=world.centre, address="kc@testkoping.se", answer_days=3)


def ingest(mailbox, attachments):
    raw = citizen_mail(attachments=[(n, "application/pdf", c) for n, c in attachments])
    return ingest_message(mailbox=mailbox, raw=raw)


@pytest.mark.parametrize("attack", list(BAD_CONTENT))
def test_mail_attachments_with_hostile_content_are_not_kept(world, mailbox, media, outside, attack):
    """The message becomes a case; the hostile file is listed as refused, never kept."""
    name, content = BAD_CONTENT[attack]
    result = ingest(mailbox, [(name, content)])
    assert result.case_id is not None
    assert not Attachment.objects.exists(), f"kept: {Attachment.objects.get().content_type}"


@pytest.mark.parametrize("name", BAD_NAMES, ids=range(len(BAD_NAMES)))
def test_mail_attachment_names_are_made_safe(world, mailbox, media, outside, name):
    result = ingest(mailbox, [(name, PDF)])
    assert result.case_id is not None
    assert_stored_safely(media)
    staff = signed_in(world.centre_staff)
    for attachment in Attachment.objects.all():
        for url in (
            reverse("cases:attachment", args=[result.case_id, attachment.pk]),
            reverse("mailbox:attachment", args=[attachment.pk]),
        ):
            assert_safe_download(staff.get(url))


# --- the catalogue import ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("katalog.csv", samples.zip_bomb(20)),
        ("katalog.json", gzip.compress(b"[" * 1_000_000)),
        ("katalog.json", b"[" * 100_000),  # deeper than the JSON parser goes
        ("katalog.json", b'{"a":' * 50_000),
        ("katalog.csv", b"\xff\xfe\x00=cmd|' /C calc'!A0;\x00\x00"),
        ("../../katalog.csv", b"kod;namn\n"),
        ("katalog.csv", b"x" * 6_000_000),
        ("katalog.exe", EXE),
    ],
    ids=range(8),
)
def test_the_catalogue_import_refuses_hostile_files_clearly(world, media, outside, name, content):
    """Never a server error; a refusal lists what is wrong. (A contact person keeps it.)"""
    client = signed_in(world.admin_contact)
    response = client.post(reverse("catalogue:import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code in {400, 413, 422}, response.status_code
    assert files_under(media) == set()
