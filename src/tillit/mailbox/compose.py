"""What Tillit's e-mail says and how it threads: sender, subject, text and headers.

Every message leaves from the owning unit's functional address (or the nearest unit above it that
has one), carries the case reference in the subject (`[KC 2026/00123]`), and threads with the
citizen's mail: In-Reply-To names the citizen's latest message, References the case's chain.
Reads only; `tillit.mailbox.actions` stores what this composes.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from tillit.cases.models import Case, CaseEvent
from tillit.mailbox.models import InboundMessage, Mailbox, OutboundMessage
from tillit.mailbox.states import OutboundKind
from tillit.organisation.models import Unit

MAX_REFERENCES = 12
REFERENCE = re.compile(r"\[\s*([A-Za-zÅÄÖåäö]{1,10})\s*(\d{4})\s*/\s*(\d{1,7})\s*\]")


@dataclass(frozen=True)
class Sender:
    mailbox: Mailbox | None
    address: str
    name: str

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2] or "tillit.localhost"


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str


def registration_number_in(subject: str) -> str | None:
    """`KC 2026/00123` from a subject carrying `[KC 2026/123]` (spacing and zeros forgiven)."""
    match = REFERENCE.search(subject)
    if match is None:
        return None
    prefix, year, serial = match.groups()
    return f"{prefix.upper()} {year}/{int(serial):05d}"


def sender_for(unit: Unit) -> Sender:
    """The owning unit's functional mailbox, else the nearest one above it, else the default."""
    current: Unit | None = unit
    seen: set[int] = set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        mailbox = Mailbox.objects.filter(unit=current, is_active=True).first()
        if mailbox is not None:
            return Sender(mailbox, mailbox.address, mailbox.display_name)
        if current.email:
            return Sender(
                None, current.email.lower(), f"{settings.TILLIT_MUNICIPALITY_NAME}, {current.name}"
            )
        current = current.parent
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return Sender(None, address.lower(), name)


def new_message_id(sender: Sender) -> str:
    return f"tillit.{uuid.uuid4().hex}@{sender.domain}"


def thread_of(case: Case) -> tuple[str, list[str]]:
    """(In-Reply-To, References) for a new message on the case: the citizen's latest e-mail, and
    the case's messages in time order (the first and the latest, as RFC 5322 allows trimming)."""
    inbound = list(
        InboundMessage.objects.filter(case=case)
        .exclude(message_id="")
        .values_list("received_at", "message_id")
    )
    outbound = list(
        OutboundMessage.objects.filter(case=case)
        .exclude(kind=OutboundKind.AUTO_REPLY)
        .values_list("created_at", "message_id")
    )
    chain = [mid for _at, mid in sorted(inbound + outbound)]
    if len(chain) > MAX_REFERENCES:
        chain = chain[:1] + chain[-(MAX_REFERENCES - 1) :]
    latest = max(inbound) if inbound else (None, chain[-1] if chain else "")
    return latest[1], chain


def _render(template: str, context: dict[str, object]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template, context).strip()


def acknowledgement(case: Case, *, subject: str) -> Draft:
    context = {"case": case, "subject": subject}
    return Draft(
        subject=with_reference(_render("mailbox/email/acknowledgement_subject.txt", context), case),
        body=_render("mailbox/email/acknowledgement.txt", context) + "\n",
    )


def reply(event: CaseEvent) -> Draft:
    context = {"case": event.case, "event": event, "base_url": settings.TILLIT_BASE_URL}
    return Draft(
        subject=_render("cases/email/reply_subject.txt", context),
        body=_render("cases/email/reply.txt", context) + "\n",
    )


def with_reference(subject: str, case: Case) -> str:
    """The subject with the case reference, so an answer to it joins the case."""
    if registration_number_in(subject) == case.registration_number:
        return subject
    return f"{subject} [{case.registration_number}]"[:300]
