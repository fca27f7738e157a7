"""E-mail as citizens' mail programs write it: for the demo, the tests and the benchmarks."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def citizen_mail(
    *,
    subject: str = "Trasig gatlampa på Björkvägen",
    body: str = "Hej! Lampan utanför Björkvägen 12 har varit släckt i en vecka.\n\nMvh Karin",
    sender: str = "Karin Nyström <karin@example.se>",
    to: str = "kc@testkoping.se",
    message_id: str | bool | None = None,  # False: no Message-ID header at all
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    html: str | None = None,
    charset: str = "utf-8",
    attachments: list[tuple[str, str, bytes]] | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    if message_id is not False:
        message["Message-ID"] = (
            f"<{message_id}>" if isinstance(message_id, str) else make_msgid(domain="example.se")
        )
    if in_reply_to:
        message["In-Reply-To"] = f"<{in_reply_to}>"
    if references:
        message["References"] = " ".join(f"<{r}>" for r in references)
    for name, value in (headers or {}).items():
        message[name] = value
    if body:
        message.set_content(body, charset=charset)
    if html is not None:
        if body:
            message.add_alternative(html, subtype="html")
        else:
            message.set_content(html, subtype="html", charset=charset)
    for filename, kind, data in attachments or []:
        maintype, subtype = kind.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def message_id_of(raw: bytes) -> str:
    from tillit.mailbox.parsing import parse_message

    return parse_message(raw).message_id
