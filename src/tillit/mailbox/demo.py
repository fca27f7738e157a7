"""The demo municipality's functional mailboxes: one per unit with a functional address, a few
e-mails waiting in the contact centre's untriaged queue, and one thread where the centre answered
and the citizen wrote back. Messages have fixed Message-IDs, so loading twice changes nothing."""

from __future__ import annotations

from django.utils import timezone

from tillit.cases.models import Case
from tillit.core.demo import DemoContext
from tillit.mailbox import actions, queries
from tillit.mailbox.models import Mailbox, OutboundMessage
from tillit.mailbox.samples import PDF as SAMPLE_PDF
from tillit.mailbox.samples import citizen_mail
from tillit.mailbox.states import TriageOutcome
from tillit.organisation.models import UnitKind

SECRET_BY_DEFAULT = {"SOC", "VOF"}  # social services and care: mail is often about health

WAITING = [
    (
        "demo-gatlampa@exempel.se",
        "Gunilla Ek <gunilla.ek@exempel.se>",
        "Trasig gatlampa på Björkvägen",
        "Hej!\n\nGatlampan utanför Björkvägen 14 har varit släckt i över en vecka. Det är "
        "väldigt mörkt på morgonen när barnen går till skolan.\n\nVänliga hälsningar\nGunilla Ek",
        "utf-8",
        None,
    ),
    (
        "demo-friggebod@exempel.se",
        "Per Åberg <per.aberg@exempel.se>",
        "Fråga om friggebod",
        "Hej,\n\nbehöver jag söka bygglov för en friggebod på 15 kvadratmeter nära tomtgränsen? "
        "Grannen har sagt att det är okej.\n\nMed vänlig hälsning\nPer Åberg",
        "iso-8859-1",
        None,
    ),
    (
        "demo-sophamtning@exempel.se",
        "Ingrid Sundberg <ingrid.sundberg@exempel.se>",
        "Missad sophämtning vecka 48",
        "",
        "utf-8",
        "<html><body><p>Hej!</p><p>Vårt matavfall på <b>Lärkstigen 3</b> har inte hämtats på två "
        "veckor. Kan ni skicka en bil?</p><p>Mvh<br>Ingrid Sundberg</p></body></html>",
    ),
    (
        "demo-forskola@exempel.se",
        "Ahmed Farah <ahmed.farah@exempel.se>",
        "Förskoleplats – intyg bifogat",
        "Hej!\n\nVi söker förskoleplats för vår dotter från augusti. Arbetsgivarintyget finns "
        "som bilaga.\n\nTack på förhand,\nAhmed Farah",
        "utf-8",
        None,
    ),
]


def _raw(
    message_id: str,
    sender: str,
    subject: str,
    text: str,
    charset: str,
    html: str | None,
    to: str,
    *,
    in_reply_to: str = "",
    headers: dict[str, str] | None = None,
    attachment: tuple[str, bytes] | None = None,
) -> bytes:
    return citizen_mail(
        subject=subject,
        body=text,
        html=html,
        sender=sender,
        to=to,
        message_id=message_id,
        in_reply_to=in_reply_to or None,
        references=[in_reply_to] if in_reply_to else None,
        charset=charset,
        headers=headers,
        attachments=[(attachment[0], "application/pdf", attachment[1])] if attachment else None,
    )


def load(ctx: DemoContext) -> None:
    for code, unit in ctx.units.items():
        if unit.kind != UnitKind.TEAM and unit.email:
            mailbox = actions.set_up_mailbox(
                unit=unit, address=unit.email, secret=code in SECRET_BY_DEFAULT
            )
            ctx.extra.setdefault("mailboxes", {})[code] = mailbox
    centre: Mailbox = ctx.extra["mailboxes"]["KC"]
    for message_id, sender, subject, text, charset, html in WAITING:
        attachment = ("arbetsgivarintyg.pdf", SAMPLE_PDF) if "forskola" in message_id else None
        actions.ingest_message(
            mailbox=centre,
            raw=_raw(
                message_id,
                sender,
                subject,
                text,
                charset,
                html,
                centre.address,
                attachment=attachment,
            ),
        )
    actions.ingest_message(
        mailbox=centre,
        raw=_raw(
            "demo-franvaro@exempel.se",
            "Lokalförsörjning Nord <info@lokalnord.exempel.se>",
            "Automatiskt svar: Semester",
            "Jag är på semester till och med 5 januari.",
            "utf-8",
            None,
            centre.address,
            headers={"Auto-Submitted": "auto-replied"},
        ),
    )
    _thread(ctx, centre)


def _thread(ctx: DemoContext, centre: Mailbox) -> None:
    """A citizen asked, the centre answered from Tillit, the citizen answered back."""
    first = actions.ingest_message(
        mailbox=centre,
        raw=_raw(
            "demo-idrottshall@exempel.se",
            "Mikaela Lind <mikaela.lind@exempel.se>",
            "Boka idrottshall för innebandy",
            "Hej!\n\nVår innebandyförening vill boka Sjöbackahallen tisdagar kl. 18–20 i vår. "
            "Hur gör vi?\n\nMikaela Lind, IBK Sjöbacka",
            "utf-8",
            None,
            centre.address,
        ),
    )
    case = Case.objects.filter(inbound_email__message_id="demo-idrottshall@exempel.se").first()
    if case is None:
        return
    staff = ctx.people["anna.lindqvist"]
    if queries.is_untriaged(case):
        actions.triage_case(
            case=case,
            by=staff,
            outcome=TriageOutcome.REPLY,
            case_type=ctx.extra["case_types"]["lokalbokning"],
            message="Hej Mikaela!\n\nTisdagar 18–20 är lediga i Sjöbackahallen. Skicka föreningens "
            "organisationsnummer och en kontaktperson så bokar vi in er för vårterminen.\n\n"
            "Vänliga hälsningar\nAnna Lindqvist, Kundcenter",
        )
    reply_event = case.events.filter(kind="reply").order_by("id").first()
    if reply_event is None:
        return
    reply = actions.queue_reply(event=reply_event) or OutboundMessage.objects.get(event=reply_event)
    del first
    actions.ingest_message(
        mailbox=centre,
        raw=_raw(
            "demo-idrottshall-svar@exempel.se",
            "Mikaela Lind <mikaela.lind@exempel.se>",
            f"SV: {reply.subject}",
            "Tack! Organisationsnummer 802456-7890, kontaktperson är jag själv, 070-123 45 67."
            f"\n\nDen {timezone.localdate().isoformat()} skrev Kundcenter:\n> Hej Mikaela!",
            "utf-8",
            None,
            centre.address,
            in_reply_to=reply.message_id,
        ),
    )
