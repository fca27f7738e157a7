"""Every change the shared mailbox makes: e-mail in becomes a case or joins one, e-mail out is
stored, sent and retried, and the untriaged queue is sorted.

The rule this module owns: nothing lost, nothing doubled. A message is stored, routed (new case,
joined case, or set aside) and the mailbox's IMAP position moved in one transaction, under a key
that is unique (the Message-ID, or the content when there is none): a process killed at any point
leaves either all of it or none of it, and fetching the message again finds it already stored.
An outgoing message is a row made before anything is sent, with its Message-ID fixed, so a retry
sends the same message; a worker claims a row with a conditional update, so two workers never send
it at once. SMTP has no idempotency: a worker killed after the server accepted a message but
before it recorded that sends it again (at least once, with the same Message-ID).
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.cases import actions as case_actions
from tillit.cases.models import Attachment, Case, CaseEvent
from tillit.cases.parties import PartyInput
from tillit.cases.queries import Access, access_to
from tillit.cases.states import Channel, EventKind, Status
from tillit.catalogue.models import CaseType, CaseTypeVersion, DocumentationLevel, Routing
from tillit.catalogue.queries import contact_centre
from tillit.mailbox import compose, queries
from tillit.mailbox.attachments import judge, safe_filename, save_file
from tillit.mailbox.compose import registration_number_in
from tillit.mailbox.models import InboundMessage, Mailbox, OutboundMessage
from tillit.mailbox.parsing import (
    ParsedMessage,
    clean_subject,
    message_key,
    parse_message,
    strip_quoted,
)
from tillit.mailbox.states import (
    InboundStatus,
    OutboundKind,
    OutboundStatus,
    TriageOutcome,
    ensure_outbound_transition,
)
from tillit.mailbox.transport import DeliveryError, send
from tillit.organisation.models import Person, Unit
from tillit.team.actions import claim_auto_reply
from tillit.team.queries import absence_auto_reply

logger = logging.getLogger(__name__)
MAX_BODY = case_actions.MAX_TEXT - 200
SEND_LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)

# --- set-up -------------------------------------------------------------------------------------


@transaction.atomic
def set_up_mailbox(
    *, unit: Unit, address: str, display_name: str = "", answer_days: int = 3, secret: bool = False
) -> Mailbox:
    """Give a unit its functional mailbox and the case type its untriaged e-mail is registered as
    (internal: never offered to citizens in the web form). Running it again changes nothing."""
    existing = Mailbox.objects.filter(unit=unit).first()
    if existing is not None:
        return existing
    address = address.strip().lower()
    if not address or "@" not in address:
        raise ValidationError({"address": _("Enter the mailbox's e-mail address.")})
    intake, created = CaseType.objects.get_or_create(
        code=f"epost-{unit.code.lower()}"[:60],
        defaults={
            "name": _("E-mail to %(unit)s, not yet triaged") % {"unit": unit.name},
            "administration": unit,
            "routing": Routing.ADMINISTRATION,  # owned by the mailbox's own unit from the start
            "service_days_centre": answer_days,
            "service_days_administration": answer_days,
            "documentation_level": DocumentationLevel.LIGHT,
            "is_public": False,
            "default_secret": secret,
            "keywords": "e-post funktionsbrevlåda",
        },
    )
    if created:
        CaseTypeVersion.objects.create(
            case_type=intake,
            number=1,
            status="published",
            published_at=timezone.now(),
            change_summary=_("Made for the functional mailbox."),
        )
    name = display_name.strip() or f"{settings.TILLIT_MUNICIPALITY_NAME}, {unit.name}"
    return Mailbox.objects.create(
        unit=unit,
        address=address,
        display_name=name[:200],
        intake_type=intake,
        answer_days=answer_days,
    )


# --- reading the IMAP mailbox: a lease, so two pollers never read one mailbox at once ----------


def _lease_token() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"[:32]


def _holder_died_here(token: str) -> bool:
    """A lease taken by a process on this host that no longer runs (killed, crashed)."""
    host, _, rest = token.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname()[: len(host)] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def claim_poll(*, mailbox: Mailbox, seconds: int = 120) -> str | None:
    """Take the mailbox for one poll; None while another live poller holds it. A lease lapses
    after `seconds`, or at once when its holder was a process on this host that has died."""
    now = timezone.now()
    token = _lease_token()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    holder = Mailbox.objects.filter(pk=mailbox.pk).values_list("lease_token", flat=True).get()
    if holder and _holder_died_here(holder):
        free |= Q(lease_token=holder)
    taken = Mailbox.objects.filter(free, pk=mailbox.pk).update(
        lease_until=now + timedelta(seconds=seconds), lease_token=token
    )
    return token if taken else None


def renew_poll(*, mailbox: Mailbox, token: str, seconds: int = 120) -> bool:
    until = timezone.now() + timedelta(seconds=seconds)
    return bool(Mailbox.objects.filter(pk=mailbox.pk, lease_token=token).update(lease_until=until))


def release_poll(*, mailbox: Mailbox, token: str, error: str = "") -> None:
    Mailbox.objects.filter(pk=mailbox.pk, lease_token=token).update(
        lease_until=None, lease_token="", last_polled_at=timezone.now(), last_error=error[:2000]
    )


def skip_to(*, mailbox: Mailbox, uid: int) -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=uid)
    mailbox.last_uid = uid


def restart_position(*, mailbox: Mailbox, uidvalidity: int) -> None:
    """The server renumbered the folder (new UIDVALIDITY): read it from the start again. Stored
    messages are recognised by their key, so nothing is registered twice."""
    Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=uidvalidity, last_uid=0)
    mailbox.uidvalidity, mailbox.last_uid = uidvalidity, 0


# --- e-mail in ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ingested:
    status: str  # an InboundStatus, or "duplicate"
    message_id: int | None
    case_id: int | None

    @property
    def duplicate(self) -> bool:
        return self.status == "duplicate"


def _parse(raw: bytes) -> tuple[ParsedMessage | None, str]:
    try:
        parsed: ParsedMessage | None = parse_message(raw)
    except Exception:
        parsed = None
    return parsed, parsed.key if parsed is not None else message_key(f"raw:{_digest(raw)}")


def ingest_message(
    *,
    mailbox: Mailbox,
    raw: bytes,
    uidvalidity: int | None = None,
    uid: int | None = None,
    truncated_from: int | None = None,
) -> Ingested:
    """Store one e-mail and route it: a new case in the untriaged queue, a message on the case it
    answers, or set aside (an automatic message that answers nothing of ours). Exactly once."""
    parsed, key = _parse(raw)
    with transaction.atomic():
        if queries.already_stored(key):
            _advance(mailbox, uidvalidity, uid)
            return Ingested("duplicate", None, None)
        try:
            with transaction.atomic():
                if parsed is None:
                    raise ValueError("the message could not be parsed")
                match = queries.thread_match(parsed.thread_ids, parsed.subject)
                message = _route(
                    mailbox, parsed, raw, truncated_from, uidvalidity, uid, _Batch(), match
                )
        except IntegrityError:
            if not queries.already_stored(key):
                raise
            return Ingested("duplicate", None, None)  # another poller stored it a moment ago
        except Exception as error:
            message = _set_aside_unreadable(mailbox, key, raw, parsed, error, uidvalidity, uid)
        _advance(mailbox, uidvalidity, uid)
    return Ingested(message.status, message.pk, message.case_id)


@dataclass(frozen=True)
class Fetched:
    """One message of a poll batch as fetched: its UID, raw bytes, and its size when only the
    headers were fetched (too large)."""

    uid: int | None
    raw: bytes
    truncated_from: int | None = None


def ingest_batch(
    *, mailbox: Mailbox, fetched: list[Fetched], uidvalidity: int | None = None
) -> list[Ingested]:
    """Store and route a poll batch in ONE transaction with the mailbox's IMAP position: all of
    it or none of it, as `ingest_message` is for one message (decision 0501). Plain new messages
    become cases together (`register_intake_batch`, bulk inserts); answers, automatic mail and
    anything that refers to a thread are routed one at a time inside the same transaction. If
    anything in the batch fails (an unreadable message, a poller racing us), the batch is rolled
    back and ingested again message by message, so one bad message never holds up the others."""
    parsed = [_parse(item.raw) for item in fetched]
    known_uidvalidity = mailbox.uidvalidity
    try:
        with transaction.atomic():
            return _ingest_together(mailbox, fetched, parsed, uidvalidity)
    except Exception as error:
        logger.warning(
            "mailbox %s: batch of %d rolled back (%s: %s), ingesting it one by one",
            mailbox.address,
            len(fetched),
            type(error).__name__,
            error,
        )
        mailbox.uidvalidity = known_uidvalidity  # the rolled-back transaction may have set it
        return [
            ingest_message(
                mailbox=mailbox,
                raw=item.raw,
                uidvalidity=uidvalidity,
                uid=item.uid,
                truncated_from=item.truncated_from,
            )
            for item in fetched
        ]


class _Unreadable(Exception):
    """A message in a batch that could not be parsed: the batch goes one by one."""


def _ingest_together(
    mailbox: Mailbox,
    fetched: list[Fetched],
    parsed: list[tuple[ParsedMessage | None, str]],
    uidvalidity: int | None,
) -> list[Ingested]:
    keys = [key for _parsed, key in parsed]
    stored = InboundMessage.objects.filter(message_key__in=keys).values_list(
        "message_key", flat=True
    )
    seen = set(stored)
    senders = [message.from_address for message, _key in parsed if message is not None]
    batch = _Batch(mailbox=mailbox, senders=senders, uidvalidity=uidvalidity)
    threaded = [m for m, _key in parsed if m is not None and not _plain_new(m)]
    matches = dict(
        zip(
            map(id, threaded),
            queries.thread_matches([(m.thread_ids, m.subject) for m in threaded]),
            strict=True,
        )
    )
    in_batch = set(keys)
    results: list[Ingested | None] = []
    for item, (message, key) in zip(fetched, parsed, strict=True):
        if key in seen:
            results.append(Ingested("duplicate", None, None))
            continue
        seen.add(key)
        if message is None:
            raise _Unreadable(key)
        if _plain_new(message):
            batch.pending.append((len(results), _NewMessage(item, message)))
            results.append(None)
            continue
        match = matches[id(message)]
        if {message_key(mid) for mid in message.thread_ids} & in_batch:
            # It answers a message of this batch, maybe one not stored yet: store those first
            # and look its thread up now.
            batch.flush(results)
            match = queries.thread_match(message.thread_ids, message.subject)
        stored_message = _route(
            mailbox, message, item.raw, item.truncated_from, uidvalidity, item.uid, batch, match
        )
        results.append(Ingested(stored_message.status, stored_message.pk, stored_message.case_id))
    batch.flush(results)
    uids = [item.uid for item in fetched if item.uid is not None]
    if uids:
        _advance(mailbox, uidvalidity, max(uids))
    return [result for result in results if result is not None]


def _plain_new(parsed: ParsedMessage) -> bool:
    """A message that can only become a new case: not automatic, no thread, no case reference."""
    return (
        not parsed.automatic
        and not parsed.thread_ids
        and registration_number_in(parsed.subject) is None
    )


@dataclass(frozen=True)
class _NewMessage:
    item: Fetched
    parsed: ParsedMessage
    follows: str = ""  # the cancelled case it answered


class _Batch:
    """What a poll batch reads once (our addresses, how often each sender was acknowledged today)
    and the plain new messages waiting to be registered together."""

    def __init__(
        self,
        *,
        mailbox: Mailbox | None = None,
        senders: list[str] | None = None,
        uidvalidity: int | None = None,
    ) -> None:
        self.mailbox = mailbox
        self.uidvalidity = uidvalidity
        self.pending: list[tuple[int, _NewMessage]] = []
        self._ours: frozenset[str] | None = None
        since = timezone.now() - timedelta(days=1)
        self._acks = queries.acknowledgements_since(sorted(set(senders or [])), since)

    def may_acknowledge(self, parsed: ParsedMessage) -> bool:
        """Never to machines, lists, our own addresses, or a sender already acknowledged often
        today (the last guard stops a loop with an auto-responder that sets no RFC 3834 header)."""
        if not parsed.may_be_answered_automatically:
            return False
        if self._ours is None:
            self._ours = queries.our_addresses()
        address = parsed.from_address
        if address in self._ours:
            return False
        if address not in self._acks:
            since = timezone.now() - timedelta(days=1)
            self._acks[address] = queries.acknowledgements_since([address], since).get(address, 0)
        if self._acks[address] >= settings.TILLIT_MAILBOX_ACKS_PER_SENDER_PER_DAY:
            return False
        self._acks[address] += 1
        return True

    def flush(self, results: list[Ingested | None]) -> None:
        """Register the waiting plain new messages, filling in their places in `results`."""
        if not self.pending:
            return
        assert self.mailbox is not None
        pending, self.pending = self.pending, []
        stored = self.register(self.mailbox, [new for _at, new in pending], self.uidvalidity)
        for (at, _new), message in zip(pending, stored, strict=True):
            results[at] = Ingested(message.status, message.pk, message.case_id)

    def register(
        self, mailbox: Mailbox, new: list[_NewMessage], uidvalidity: int | None
    ) -> list[InboundMessage]:
        """New cases for new messages, with their stored messages and acknowledgements, in bulk
        (one message is a batch of one)."""
        files = [_attachments_of(one.parsed) for one in new]
        made = case_actions.register_intake_batch(
            channel=Channel.EMAIL,
            case_type=mailbox.intake_type,
            intakes=[
                case_actions.Intake(
                    subject=_subject(one.parsed),
                    description=_body(one.parsed.text),
                    party=_party_of(one.parsed),
                    submission_key=f"mail:{one.parsed.key[:40]}",
                    first_entry=_email_entry(
                        one.parsed, kept, refused, one.item.truncated_from, follows=one.follows
                    ),
                )
                for one, (kept, refused) in zip(new, files, strict=True)
            ],
        )
        messages: list[InboundMessage] = []
        acks: list[OutboundMessage] = []
        sender = compose.Sender(mailbox, mailbox.address, mailbox.display_name)
        for one, (kept, _refused), (case, event) in zip(new, files, made, strict=True):
            _store_attachments(case, event, kept)
            messages.append(
                _inbound_row(
                    mailbox,
                    one.parsed,
                    one.item.raw,
                    status=InboundStatus.NEW_CASE,
                    case=case,
                    event=event,
                    uidvalidity=uidvalidity,
                    uid=one.item.uid,
                )
            )
            if mailbox.acknowledge and self.may_acknowledge(one.parsed):
                acks.append(_acknowledgement(case, one.parsed, sender))
        InboundMessage.objects.bulk_create(messages)
        OutboundMessage.objects.bulk_create(acks)
        _send_after_commit([ack.pk for ack in acks])
        return messages


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _advance(mailbox: Mailbox, uidvalidity: int | None, uid: int | None) -> None:
    if uid is None:
        return
    if uidvalidity is not None and mailbox.uidvalidity is None:
        Mailbox.objects.filter(pk=mailbox.pk).update(
            uidvalidity=uidvalidity, last_uid=Greatest(F("last_uid"), Value(uid))
        )
        mailbox.uidvalidity = uidvalidity
    else:
        Mailbox.objects.filter(pk=mailbox.pk, last_uid__lt=uid).update(last_uid=uid)


def _inbound(mailbox: Mailbox, parsed: ParsedMessage, raw: bytes, **fields: Any) -> InboundMessage:
    message = _inbound_row(mailbox, parsed, raw, **fields)
    message.save(force_insert=True)
    return message


def _inbound_row(
    mailbox: Mailbox,
    parsed: ParsedMessage,
    raw: bytes,
    *,
    status: InboundStatus,
    uidvalidity: int | None,
    uid: int | None,
    case: Case | None = None,
    event: CaseEvent | None = None,
    data: dict[str, object] | None = None,
) -> InboundMessage:
    return InboundMessage(
        mailbox=mailbox,
        message_key=parsed.key,
        message_id=parsed.message_id,
        uidvalidity=uidvalidity,
        uid=uid,
        status=status,
        case=case,
        event=event,
        from_name=parsed.from_name,
        from_address=parsed.from_address,
        to=", ".join(parsed.to)[:2000],
        subject=parsed.subject,
        sent_at=parsed.sent_at,
        received_at=timezone.now(),
        body_text=parsed.text,
        body_html=parsed.html,
        data=data or {},
        raw=raw,
    )


def _set_aside_unreadable(
    mailbox: Mailbox,
    key: str,
    raw: bytes,
    parsed: ParsedMessage | None,
    error: Exception,
    uidvalidity: int | None,
    uid: int | None,
) -> InboundMessage:
    return InboundMessage.objects.create(
        mailbox=mailbox,
        message_key=key,
        message_id=parsed.message_id if parsed else "",
        uidvalidity=uidvalidity,
        uid=uid,
        status=InboundStatus.FAILED,
        from_name=parsed.from_name if parsed else "",
        from_address=parsed.from_address if parsed else "",
        subject=parsed.subject if parsed else "",
        received_at=timezone.now(),
        body_text=parsed.text if parsed else "",
        error=f"{type(error).__name__}: {error}"[:2000],
        raw=raw,
    )


def _body(text: str) -> str:
    text = text.strip() or _("(The message has no text.)")
    if len(text) > MAX_BODY:
        text = text[:MAX_BODY] + "\n\n" + _("[Shortened: the whole message is kept with the case.]")
    return text


def _route(
    mailbox: Mailbox,
    parsed: ParsedMessage,
    raw: bytes,
    truncated_from: int | None,
    uidvalidity: int | None,
    uid: int | None,
    batch: _Batch,
    match: queries.ThreadMatch | None,
) -> InboundMessage:
    if match is not None and parsed.automatic:
        # An auto-reply or bounce to one of our messages: noted on the case, it never reopens it.
        if parsed.bounce and match.outbound is not None:
            _mark_bounced(match.outbound)
        event = _email_event(match.case, parsed, [], [], truncated_from, body=parsed.text[:2000])
        return _inbound(
            mailbox,
            parsed,
            raw,
            status=InboundStatus.JOINED,
            case=match.case,
            event=event,
            uidvalidity=uidvalidity,
            uid=uid,
        )
    if parsed.automatic:
        return _inbound(
            mailbox,
            parsed,
            raw,
            status=InboundStatus.IGNORED,
            uidvalidity=uidvalidity,
            uid=uid,
            data={"reason": "bounce" if parsed.bounce else "auto_submitted"},
        )
    if match is not None and match.case.status != Status.CANCELLED:
        case = match.case
        case_actions.add_citizen_message(
            case=case, body=_body(strip_quoted(parsed.text)), via="email"
        )
        stored, refused = _attachments_of(parsed)
        # add_citizen_message holds the case's row lock and has just set its updated_at.
        event = _email_event(case, parsed, stored, refused, truncated_from, locked=True)
        _store_attachments(case, event, stored)
        _absence_reply(case, parsed)
        return _inbound(
            mailbox,
            parsed,
            raw,
            status=InboundStatus.JOINED,
            case=case,
            event=event,
            uidvalidity=uidvalidity,
            uid=uid,
        )
    follows = match.case.registration_number if match is not None else ""
    new = _NewMessage(Fetched(uid, raw, truncated_from), parsed, follows)
    return batch.register(mailbox, [new], uidvalidity)[0]


def _subject(parsed: ParsedMessage) -> str:
    subject = clean_subject(parsed.subject) or _("(no subject)")
    return subject if len(subject) <= 200 else subject[:199] + "…"


def _party_of(parsed: ParsedMessage) -> PartyInput | None:
    if not parsed.from_address:
        return None
    return PartyInput(name=parsed.from_name or parsed.from_address, email=parsed.from_address)


def _attachments_of(
    parsed: ParsedMessage,
) -> tuple[list[tuple[str, str, bytes]], list[dict[str, str]]]:
    stored: list[tuple[str, str, bytes]] = []
    refused: list[dict[str, str]] = []
    for part in parsed.attachments:
        verdict = judge(part, max_bytes=settings.TILLIT_MAILBOX_MAX_ATTACHMENT_BYTES)
        name = safe_filename(part.filename)
        if verdict.keep:
            stored.append((name, verdict.content_type, part.data))
        else:
            refused.append({"name": name, "reason": verdict.reason, "type": verdict.content_type})
    return stored, refused


def _store_attachments(
    case: Case, event: CaseEvent | None, files: list[tuple[str, str, bytes]]
) -> None:
    for name, content_type, data in files:
        path, digest = save_file(data)
        Attachment.objects.create(
            case=case,
            event=event,
            file=path,
            original_name=name,
            content_type=content_type,
            size=len(data),
            sha256=digest,
        )


def _email_entry(
    parsed: ParsedMessage,
    stored: list[tuple[str, str, bytes]],
    refused: list[dict[str, str]],
    truncated_from: int | None,
    *,
    body: str = "",
    follows: str = "",
) -> case_actions.LogEntry:
    """The `email_in` entry of the case log: who wrote, what, and what was kept or refused."""
    data: dict[str, object] = {
        "from": parsed.from_address,
        "from_name": parsed.from_name,
        "subject": parsed.subject,
        "message_id": parsed.message_id,
        "message_key": parsed.key,
        "attachments": [name for name, _type, _data in stored],
        "refused": refused,
        "automatic": parsed.automatic,
    }
    if truncated_from:
        data["too_large"] = truncated_from
    if follows:
        data["follows"] = follows  # the case it answered was cancelled: this one follows it
    return case_actions.LogEntry(
        kind=EventKind.EMAIL_IN,
        body=body,
        data=data,
        actor_label=parsed.from_name or parsed.from_address or _("unknown sender"),
    )


def _email_event(
    case: Case,
    parsed: ParsedMessage,
    stored: list[tuple[str, str, bytes]],
    refused: list[dict[str, str]],
    truncated_from: int | None,
    *,
    body: str = "",
    locked: bool = False,
) -> CaseEvent:
    entry = _email_entry(parsed, stored, refused, truncated_from, body=body)
    return case_actions.append_event(
        case=case,
        kind=entry.kind,
        by=None,
        body=entry.body,
        data=entry.data,
        actor_label=entry.actor_label,
        locked=locked,
    )


def _mark_bounced(outbound: OutboundMessage) -> None:
    locked = OutboundMessage.objects.select_for_update().get(pk=outbound.pk)
    if locked.status == OutboundStatus.SENT:
        ensure_outbound_transition(locked.status, OutboundStatus.BOUNCED)
        locked.status = OutboundStatus.BOUNCED
        locked.save(update_fields=["status"])


def _absence_reply(case: Case, parsed: ParsedMessage) -> None:
    """The handler is away (a reflection day): their auto-reply goes to the sender once a day."""
    if case.handler is None or not parsed.may_be_answered_automatically:
        return
    now = timezone.now()
    text = absence_auto_reply(case.handler, now)
    if text is None:
        return
    today = timezone.localdate(now)
    key = f"auto:{case.handler.pk}:{parsed.from_address}:{today.isoformat()}"
    if OutboundMessage.objects.filter(key=key).exists():
        return
    if not claim_auto_reply(person=case.handler, sender=parsed.from_address, on=today):
        return
    subject, body = text
    _store_once(
        _outbound_row(
            key=key,
            kind=OutboundKind.AUTO_REPLY,
            case=case,
            to_address=parsed.from_address,
            draft=compose.Draft(subject=compose.with_reference(subject, case), body=body),
            automatic=True,
            in_reply_to=parsed.message_id,
            references=[*parsed.references, parsed.message_id] if parsed.message_id else [],
            sender=compose.sender_for(case.owner_unit),
        )
    )


# --- e-mail out ---------------------------------------------------------------------------------


def _outbound_row(
    *,
    key: str,
    kind: OutboundKind,
    case: Case,
    to_address: str,
    draft: compose.Draft,
    automatic: bool,
    in_reply_to: str,
    references: list[str],
    sender: compose.Sender,
    event: CaseEvent | None = None,
) -> OutboundMessage:
    message_id = compose.new_message_id(sender)
    now = timezone.now()
    return OutboundMessage(
        key=key,
        kind=kind,
        mailbox=sender.mailbox,
        case=case,
        event=event,
        from_address=sender.address,
        from_name=sender.name,
        to_address=to_address,
        subject=draft.subject[:300],
        body=draft.body,
        message_id=message_id,
        message_key=message_key(message_id),
        in_reply_to=in_reply_to,
        references=" ".join(references[-compose.MAX_REFERENCES :]),
        automatic=automatic,
        created_at=now,
        next_attempt_at=now,
    )


def _acknowledgement(case: Case, parsed: ParsedMessage, sender: compose.Sender) -> OutboundMessage:
    """The acknowledgement of a new case's message (unsaved). Its key cannot exist yet: it
    derives from the message's, which was new a moment ago (the unique key still guards it)."""
    return _outbound_row(
        key=f"ack:{parsed.key}",
        kind=OutboundKind.ACKNOWLEDGEMENT,
        case=case,
        to_address=parsed.from_address,
        draft=compose.acknowledgement(case, subject=clean_subject(parsed.subject)),
        automatic=True,
        in_reply_to=parsed.message_id,
        references=[*parsed.references, parsed.message_id] if parsed.message_id else [],
        sender=sender,
    )


def _send_after_commit(outbound_ids: list[int]) -> None:
    """Have the stored messages sent once the transaction commits: one task for one message, one
    task for a batch's (the periodic sweep sends any whose task was lost)."""
    from tillit.mailbox.tasks import deliver, deliver_many

    if len(outbound_ids) == 1:
        pk = outbound_ids[0]
        transaction.on_commit(lambda: deliver.enqueue(pk))
    elif outbound_ids:
        transaction.on_commit(lambda: deliver_many.enqueue(outbound_ids))


def _store_once(outbound: OutboundMessage, *, enqueue: bool = True) -> OutboundMessage:
    """Store the message unless one with its key exists, and have it sent after commit."""
    existing = OutboundMessage.objects.filter(key=outbound.key).first()
    if existing is not None:
        return existing
    outbound.save(force_insert=True)
    if enqueue:
        _send_after_commit([outbound.pk])
    return outbound


@transaction.atomic
def queue_reply(*, event: CaseEvent, enqueue: bool = True) -> OutboundMessage | None:
    """A reply written in Tillit, as e-mail to the citizen in the case's thread (once per reply)."""
    case = Case.objects.select_related("party", "owner_unit").get(pk=event.case_id)
    if event.kind != EventKind.REPLY or case.party is None or not case.party.email:
        return None
    existing = OutboundMessage.objects.filter(key=f"reply:{event.pk}").first()
    if existing is not None:
        return existing
    in_reply_to, references = compose.thread_of(case)
    draft = compose.reply(event)
    return _store_once(
        _outbound_row(
            key=f"reply:{event.pk}",
            kind=OutboundKind.REPLY,
            case=case,
            event=event,
            to_address=case.party.email,
            draft=compose.Draft(compose.with_reference(draft.subject, case), draft.body),
            automatic=False,
            in_reply_to=in_reply_to,
            references=references,
            sender=compose.sender_for(case.owner_unit),
        ),
        enqueue=enqueue,
    )


def send_case_reply(*, event_id: int) -> bool:
    """What `tillit.cases.tasks.send_reply` does: store the reply as e-mail and send it now."""
    event = CaseEvent.objects.get(pk=event_id)
    outbound = queue_reply(event=event, enqueue=False)
    if outbound is None:
        return False
    return deliver_outbound(outbound_id=outbound.pk) == OutboundStatus.SENT


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _claim_for_sending(outbound_id: int, now: datetime) -> bool:
    claimable = Q(
        status__in=[OutboundStatus.PENDING, OutboundStatus.FAILED], next_attempt_at__lte=now
    ) | Q(status=OutboundStatus.SENDING, lease_until__lt=now)
    return bool(
        OutboundMessage.objects.filter(claimable, pk=outbound_id).update(
            status=OutboundStatus.SENDING,
            lease_until=now + SEND_LEASE,
            attempts=F("attempts") + 1,
        )
    )


def deliver_outbound(*, outbound_id: int) -> str:
    """Send one stored message if it is due and nobody else is sending it; record the outcome."""
    now = timezone.now()
    if not _claim_for_sending(outbound_id, now):
        return str(OutboundMessage.objects.values_list("status", flat=True).get(pk=outbound_id))
    outbound = OutboundMessage.objects.get(pk=outbound_id)
    try:
        send(outbound)
    except DeliveryError as error:
        return _record_failure(outbound, error)
    return _record_sent(outbound)


@transaction.atomic
def _record_sent(outbound: OutboundMessage) -> str:
    locked = OutboundMessage.objects.select_for_update().get(pk=outbound.pk)
    ensure_outbound_transition(locked.status, OutboundStatus.SENT)
    now = timezone.now()
    locked.status = OutboundStatus.SENT
    locked.sent_at = now
    locked.next_attempt_at = None
    locked.lease_until = None
    locked.last_error = ""
    locked.save(update_fields=["status", "sent_at", "next_attempt_at", "lease_until", "last_error"])
    case_actions.append_event(
        case=locked.case,
        kind=EventKind.EMAIL_OUT,
        by=None,
        data={
            "outbound": locked.pk,
            "kind": locked.kind,
            "to": locked.to_address,
            "from": locked.from_address,
            "subject": locked.subject,
            "message_id": locked.message_id,
            "attempts": locked.attempts,
        },
        actor_label=locked.from_address,
    )
    return OutboundStatus.SENT


@transaction.atomic
def _record_failure(outbound: OutboundMessage, error: DeliveryError) -> str:
    locked = OutboundMessage.objects.select_for_update().get(pk=outbound.pk)
    ensure_outbound_transition(locked.status, OutboundStatus.FAILED)
    locked.status = OutboundStatus.FAILED
    locked.lease_until = None
    locked.last_error = str(error)
    gave_up = error.permanent or locked.attempts >= settings.TILLIT_MAILBOX_SEND_ATTEMPTS
    locked.next_attempt_at = None if gave_up else timezone.now() + _backoff(locked.attempts)
    locked.save(update_fields=["status", "lease_until", "last_error", "next_attempt_at"])
    return OutboundStatus.FAILED


def due_outbound(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Ids of messages to try now: due retries, and sends a dead worker left half-done."""
    now = now or timezone.now()
    due = Q(
        status__in=[OutboundStatus.PENDING, OutboundStatus.FAILED], next_attempt_at__lte=now
    ) | Q(status=OutboundStatus.SENDING, lease_until__lt=now)
    return list(
        OutboundMessage.objects.filter(due)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def queue_missing_replies(*, window: int = 20_000) -> int:
    """Replies among the latest `window` case events that have no e-mail yet (their send task was
    lost between commit and enqueue): stored now, so no reply is ever silently not sent."""
    newest = CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    queued = OutboundMessage.objects.filter(kind=OutboundKind.REPLY, event__isnull=False)
    missing = (
        CaseEvent.objects.filter(pk__gt=newest - window, kind=EventKind.REPLY)
        .exclude(case__party__email="")
        .exclude(case__party__isnull=True)
        .exclude(pk__in=queued.values("event_id"))
        .values_list("pk", flat=True)
    )
    count = 0
    for event in CaseEvent.objects.filter(pk__in=list(missing)):
        if queue_reply(event=event) is not None:
            count += 1
    return count


def _ensure_may_work(person: Person, outbound: OutboundMessage) -> OutboundMessage:
    locked = OutboundMessage.objects.select_for_update().select_related("case").get(pk=outbound.pk)
    if access_to(person, locked.case) != Access.WORK:
        raise ValidationError(
            {
                "case": _("Only the owning unit (%(unit)s) can change this case.")
                % {"unit": locked.case.owner_unit}
            },
            code="not_owner",
        )
    return locked


@transaction.atomic
def retry_outbound(*, outbound: OutboundMessage, by: Person) -> OutboundMessage:
    """Someone asks for another try now (e.g. after the address was corrected)."""
    locked = _ensure_may_work(by, outbound)
    if locked.status == OutboundStatus.PENDING:
        return locked
    ensure_outbound_transition(locked.status, OutboundStatus.PENDING)
    locked.status = OutboundStatus.PENDING
    locked.attempts = 0
    locked.next_attempt_at = timezone.now()
    locked.save(update_fields=["status", "attempts", "next_attempt_at"])
    _send_after_commit([locked.pk])
    return locked


@transaction.atomic
def stop_outbound(*, outbound: OutboundMessage, by: Person, reason: str = "") -> OutboundMessage:
    """Someone decides this message will not be sent (or that a bounce is dealt with); logged."""
    locked = _ensure_may_work(by, outbound)
    ensure_outbound_transition(locked.status, OutboundStatus.CANCELLED)
    previous = locked.status
    locked.status = OutboundStatus.CANCELLED
    locked.next_attempt_at = None
    locked.stopped_by = by
    locked.save(update_fields=["status", "next_attempt_at", "stopped_by"])
    case_actions.append_event(
        case=locked.case,
        kind=EventKind.EMAIL_OUT,
        by=by,
        body=reason.strip(),
        data={
            "outbound": locked.pk,
            "kind": locked.kind,
            "to": locked.to_address,
            "stopped": True,
            "was": previous,
        },
    )
    return locked


# --- triage -------------------------------------------------------------------------------------


def _refuse(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _handover_target(case: Case, case_type: CaseType) -> Unit | None:
    """Where a triaged case goes: the case type's administration, unless this unit handles it."""
    if case_type.routing == Routing.CENTRE_RESOLVES:
        target = contact_centre(case_type)
    else:
        target = case_type.administration
    return None if target.pk == case.owner_unit_id else target


@transaction.atomic
def triage_case(
    *,
    case: Case,
    by: Person,
    outcome: TriageOutcome,
    case_type: CaseType | None = None,
    message: str = "",
) -> Case:
    """Sort one untriaged e-mail case: give it a case type, then answer and close it, answer and
    wait for the citizen, hand it over to the type's administration, or discard it as no case."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("party", "owner_unit")
        .get(pk=case.pk)
    )
    if not queries.is_untriaged(case):
        raise _refuse("case", _("This e-mail has already been triaged."), "already_triaged")
    message = message.strip()
    if outcome == TriageOutcome.DISCARD:
        return case_actions.cancel_case(
            case=case, by=by, reason=message or _("Not a case: discarded at triage.")
        )
    if case_type is None:
        raise _refuse("case_type", _("Choose a case type."), "required")
    if outcome in {TriageOutcome.REPLY, TriageOutcome.HANDOVER} and not message:
        field = _("the reply") if outcome == TriageOutcome.REPLY else _("the hand-over message")
        raise _refuse("message", _("Write %(what)s.") % {"what": field}, "required")
    if (
        outcome in {TriageOutcome.REPLY, TriageOutcome.RESOLVE}
        and message
        and not (case.party and case.party.email)
    ):
        raise _refuse("message", _("The sender has no e-mail address to answer."), "no_address")
    case = case_actions.change_case_type(case=case, by=by, case_type=case_type)
    if outcome == TriageOutcome.HANDOVER:
        target = _handover_target(case, case_type)
        if target is None:
            raise _refuse(
                "outcome",
                _("%(type)s is handled by %(unit)s itself: answer it instead.")
                % {"type": case_type.name, "unit": case.owner_unit},
                "no_handover_target",
            )
        case_actions.offer_handover(
            case=case,
            to_unit=target,
            by=by,
            done=_("Triaged from the functional mailbox as %(type)s.") % {"type": case_type.name},
            expected=message,
        )
        return case
    case = case_actions.assign_case(case=case, handler=by, by=by)
    if message:
        case_actions.add_reply(case=case, by=by, body=message)
    if outcome == TriageOutcome.REPLY:
        return case_actions.wait_for_citizen(case=case, by=by)
    return case_actions.close_case(
        case=case, by=by, resolution=_("Answered from the functional mailbox.")
    )


@transaction.atomic
def reprocess_message(*, message: InboundMessage, by: Person) -> Ingested:
    """Try an unreadable message again (after a fix): routed as if it had just arrived."""
    locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status != InboundStatus.FAILED:
        return Ingested(locked.status, locked.pk, locked.case_id)
    if locked.mailbox_id not in {m.pk for m in queries.mailboxes_for(by)}:
        raise _refuse("message", _("Only the mailbox's unit can do this."), "not_member")
    raw = bytes(locked.raw)
    mailbox = locked.mailbox
    locked.delete()
    return ingest_message(mailbox=mailbox, raw=raw)
