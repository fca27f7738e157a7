"""Every checked read of the shared mailbox.

Staff see the mailboxes of the units they work in (or manage). A message that became a case is
read through the cases access gateway (`get_case_for`: unit rules, secrecy, read log), so a
mailbox never shows more of a case than the case page would. The routing reads at the bottom have
no person: the mailbox decides where a message belongs, it does not show it to anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from tillit.cases.models import Attachment, Case
from tillit.cases.queries import Access, access_to, get_case_for, scope_of, visible_to
from tillit.cases.states import OPEN_STATUSES
from tillit.catalogue.models import CaseType
from tillit.core.prepared import Prepared
from tillit.mailbox.compose import registration_number_in
from tillit.mailbox.models import InboundMessage, Mailbox, OutboundMessage
from tillit.mailbox.parsing import message_key
from tillit.mailbox.states import UNSETTLED, InboundStatus, OutboundKind
from tillit.organisation.models import Person
from tillit.team.queries import hero_of

LIST_FIELDS = (
    "id",
    "mailbox_id",
    "status",
    "case_id",
    "from_name",
    "from_address",
    "subject",
    "received_at",
    "error",
)


class MailboxNotFound(Http404):
    """The mailbox or message does not exist, or this person may not see it: the same answer."""


# --- for people ---------------------------------------------------------------------------------


def mailboxes_for(person: Person) -> list[Mailbox]:
    """The functional mailboxes of the units this person works in or manages."""
    if not person.is_active:
        return []
    cached: list[Mailbox] | None = getattr(person, "_mailboxes", None)
    if cached is None:  # read once per person object (a request), like the case scope
        units = scope_of(person).all_units
        cached = list(
            Mailbox.objects.filter(unit_id__in=units, is_active=True)
            .select_related("unit", "intake_type")
            .order_by("address")
        )
        person._mailboxes = cached  # type: ignore[attr-defined]
    return list(cached)


def has_mailbox(person: Person) -> bool:
    """Whether the person sees any mailbox: the menu asks on every page, so one EXISTS query
    (or the list, when this request already read it), not the mailboxes with their units and
    case types."""
    cached: list[Mailbox] | None = getattr(person, "_mailboxes", None)
    if cached is not None:
        return bool(cached)
    if not person.is_active:
        return False
    return bool(_ANY_MAILBOX(units=sorted(scope_of(person).all_units)))


_ANY_MAILBOX: Prepared[int] = Prepared(
    lambda units: (
        Mailbox.objects.filter(unit_id__in=units, is_active=True)
        .order_by()
        .values_list("pk", flat=True)[:1]
    ),
    units=list,
)


def get_mailbox_for(person: Person, mailbox_id: int | str) -> Mailbox:
    for mailbox in mailboxes_for(person):
        if str(mailbox.pk) == str(mailbox_id):
            return mailbox
    raise MailboxNotFound


def untriaged(person: Person, mailbox: Mailbox) -> QuerySet[Case]:
    """The mailbox's untriaged queue: open cases of its intake type, oldest first."""
    return (
        visible_to(person)
        .filter(
            owner_unit_id=mailbox.unit_id,
            case_type_id=mailbox.intake_type_id,
            status__in=[s.value for s in OPEN_STATUSES],
        )
        .select_related("party", "handler")
        .order_by("id")
    )


def queue_owner(mailbox: Mailbox, on: date) -> Person | None:
    """Whose week it is to triage the mailbox: the unit's hero of the week (the team capability's
    rota, or their stand-in while they are away), or nobody in particular (the whole unit) when
    the unit keeps no rota."""
    return hero_of(mailbox.unit, on)


def _intake_mailboxes(case: Case) -> QuerySet[Mailbox]:
    """The mailboxes whose untriaged queue the case is in while it is open."""
    return _intake_mailboxes_of(case.owner_unit_id, case.case_type_id)


def _intake_mailboxes_of(unit_id: int, case_type_id: int) -> QuerySet[Mailbox]:
    return Mailbox.objects.filter(unit_id=unit_id, intake_type_id=case_type_id)


def is_untriaged(case: Case) -> bool:
    return case.status in OPEN_STATUSES and _intake_mailboxes(case).exists()


@dataclass(frozen=True)
class CaseMail:
    """What the case page shows of a case's e-mail."""

    inbound: list[InboundMessage]
    unsettled: list[OutboundMessage]
    untriaged: bool


def mail_on_page(case: Case, *, ask_triage: bool) -> CaseMail:
    """The case's e-mail as its page lists it (the case is already checked): one query finds out
    whether there is any (received, not delivered yet, untriaged when `ask_triage`), and only what
    there is is read. Most cases, made by phone or at the desk, have none."""
    one_row = _MAIL_ON_PAGE.first(
        case=case.pk, unit=case.owner_unit_id, case_type=case.case_type_id
    )
    inbound, unsettled, untriaged = one_row or (False, False, False)
    return CaseMail(
        # The page names each message (subject, sender, time): its text and files stay unread.
        inbound=list(InboundMessage.objects.filter(case=case).only(*LIST_FIELDS).order_by("id"))
        if inbound
        else [],
        unsettled=unsettled_outbound(case) if unsettled else [],
        untriaged=ask_triage and case.status in OPEN_STATUSES and bool(untriaged),
    )


def _mail_of(case: int, unit: int, case_type: int) -> QuerySet[Case, tuple[bool, bool, bool]]:
    return (
        Case.objects.filter(pk=case)
        .annotate(
            inbound=Exists(InboundMessage.objects.filter(case=OuterRef("pk"))),
            unsettled=Exists(
                OutboundMessage.objects.filter(
                    case=OuterRef("pk"), status__in=[s.value for s in UNSETTLED]
                )
            ),
            untriaged=Exists(_intake_mailboxes_of(unit, case_type)),
        )
        .values_list("inbound", "unsettled", "untriaged")
    )


# Asked on every case page: compiled once per process (decision 0007).
_MAIL_ON_PAGE: Prepared[tuple[bool, bool, bool]] = Prepared(
    _mail_of, case=int, unit=int, case_type=int
)


def triage_case_types() -> list[CaseType]:
    """Case types to sort mail into: every active type except the mailboxes' own intake types."""
    intake = Mailbox.objects.values("intake_type_id")
    return list(
        CaseType.objects.filter(is_active=True)
        .exclude(pk__in=intake)
        .select_related("administration")
        .order_by("administration__name", "name")
    )


def messages_of(case: Case) -> list[InboundMessage]:
    """The e-mail a case was made from or joined by, oldest first (the case is already checked)."""
    return list(
        InboundMessage.objects.filter(case=case)
        .defer("raw")
        .select_related("event")
        .prefetch_related("event__attachments")
        .order_by("id")
    )


def recent_messages(person: Person, mailbox: Mailbox, *, limit: int = 20) -> list[InboundMessage]:
    """The latest messages in the mailbox with where each went, limited to cases the person may
    read (messages that became nothing are the mailbox unit's own business)."""
    visible = visible_to(person).filter(inbound_email__mailbox=mailbox).values("pk")
    return list(
        InboundMessage.objects.filter(mailbox=mailbox)
        .filter(Q(case__isnull=True) | Q(case_id__in=visible))
        .only(*LIST_FIELDS)
        .select_related("case")
        .order_by("-id")[:limit]
    )


def set_aside(mailbox: Mailbox, *, limit: int = 50) -> list[InboundMessage]:
    """Messages that became no case: automatic mail answering nothing of ours, unreadable mail."""
    return list(
        InboundMessage.objects.filter(
            mailbox=mailbox, status__in=[InboundStatus.IGNORED, InboundStatus.FAILED]
        )
        .only(*LIST_FIELDS)
        .order_by("-id")[:limit]
    )


def get_message_for(person: Person, message_id: int | str) -> tuple[InboundMessage, Case | None]:
    """A message and its case, through the case gateway (which logs a read of a secret case)."""
    try:
        message = InboundMessage.objects.defer("raw").get(pk=int(message_id))
    except (InboundMessage.DoesNotExist, ValueError, TypeError):
        raise MailboxNotFound from None
    if message.case_id is not None:
        return message, get_case_for(person, message.case_id, where="mailbox")
    if message.mailbox_id not in {m.pk for m in mailboxes_for(person)}:
        raise MailboxNotFound
    return message, None


def unsettled_outbound(case: Case) -> list[OutboundMessage]:
    """Outgoing e-mail on the case that is not delivered yet or came back (the case is checked)."""
    return list(
        OutboundMessage.objects.filter(case=case, status__in=[s.value for s in UNSETTLED]).order_by(
            "id"
        )
    )


def get_outbound_for(person: Person, outbound_id: int | str) -> OutboundMessage:
    """An outgoing message on a case this person may work (forbidden and missing look alike)."""
    try:
        outbound = OutboundMessage.objects.select_related("case").get(pk=int(outbound_id))
    except (OutboundMessage.DoesNotExist, ValueError, TypeError):
        raise MailboxNotFound from None
    if access_to(person, outbound.case) != Access.WORK:
        raise MailboxNotFound
    return outbound


def attachment_for(person: Person, attachment_id: int | str) -> Attachment:
    try:
        attachment = Attachment.objects.get(pk=int(attachment_id), file__startswith="mailbox/")
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise MailboxNotFound from None
    get_case_for(person, attachment.case_id, where="attachment")
    return attachment


# --- routing (no person) ------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreadMatch:
    case: Case
    outbound: OutboundMessage | None  # the message of ours this answers, when it answers one


def thread_match(thread_ids: list[str], subject: str) -> ThreadMatch | None:
    """The case a message belongs to: the nearest of its In-Reply-To/References that is one of
    our messages or a message already in a case, else a case reference in the subject."""
    return thread_matches([(thread_ids, subject)])[0]


def thread_matches(messages: list[tuple[list[str], str]]) -> list[ThreadMatch | None]:
    """`thread_match` for each (thread ids, subject) of a batch, in three queries at most."""
    keyed = [[message_key(mid) for mid in thread_ids[:50]] for thread_ids, _subject in messages]
    wanted = {key for keys in keyed for key in keys}
    numbers = [registration_number_in(subject) for _ids, subject in messages]
    ours: dict[str, OutboundMessage] = {}
    theirs: dict[str, int] = {}
    if wanted:
        ours = {
            o.message_key: o
            for o in OutboundMessage.objects.filter(message_key__in=wanted).select_related("case")
        }
        theirs = dict(
            InboundMessage.objects.filter(message_key__in=wanted, case__isnull=False).values_list(
                "message_key", "case_id"
            )
        )
    case_ids = set(theirs.values())
    referenced = {number for number in numbers if number}
    cases: dict[int, Case] = {}
    if case_ids or referenced:
        cases = {
            case.pk: case
            for case in Case.objects.filter(
                Q(pk__in=case_ids) | Q(registration_number__in=referenced)
            )
        }
    by_number = {case.registration_number: case for case in cases.values()}
    found: list[ThreadMatch | None] = []
    for keys, number in zip(keyed, numbers, strict=True):
        match = None
        for key in keys:
            if key in ours:
                match = ThreadMatch(ours[key].case, ours[key])
                break
            if key in theirs:
                match = ThreadMatch(cases[theirs[key]], None)
                break
        if match is None and number and number in by_number:
            match = ThreadMatch(by_number[number], None)
        found.append(match)
    return found


def already_stored(key: str) -> bool:
    return InboundMessage.objects.filter(message_key=key).exists()


def acknowledgements_since(addresses: list[str], since: datetime) -> dict[str, int]:
    """How many acknowledgements went to each address since then (every address is a key)."""
    counts = dict.fromkeys(addresses, 0)
    if addresses:
        counts.update(
            OutboundMessage.objects.filter(
                to_address__in=addresses, kind=OutboundKind.ACKNOWLEDGEMENT, created_at__gte=since
            )
            .values("to_address")
            .annotate(count=Count("id"))
            .values_list("to_address", "count")
        )
    return counts


def our_addresses() -> frozenset[str]:
    return frozenset(Mailbox.objects.values_list("address", flat=True))


def configured_mailboxes() -> list[tuple[Mailbox, str]]:
    """Active mailboxes that have an IMAP URL in TILLIT_MAILBOX_IMAP, with that URL."""
    urls: dict[str, str] = settings.TILLIT_MAILBOX_IMAP
    if not urls:
        return []
    mailboxes = Mailbox.objects.filter(address__in=list(urls), is_active=True).order_by("pk")
    return [(mailbox, urls[mailbox.address]) for mailbox in mailboxes]
