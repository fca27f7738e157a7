"""Every write of the feedback capability: surveys, follow-ups, reflections and appreciation.

The rules it owns: a closed case gets at most one survey, answered at most once through a link
that expires; an answer keeps no personal data in its free text (it is redacted before it is
stored); an unhappy citizen who asks to be contacted becomes a follow-up on the case for its
owner; reflections and appreciation are written only by people with access to the case, and
appreciation reaches only a colleague who may see that case too.
"""

from __future__ import annotations

import hashlib
import secrets
import smtplib
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.cases.actions import append_event
from tillit.cases.models import Case
from tillit.cases.queries import Access, access_to
from tillit.cases.states import EventKind, Status
from tillit.feedback import casefeed
from tillit.feedback.models import (
    Appreciation,
    FeedCursor,
    FollowUp,
    Reflection,
    Survey,
    SurveyAnswer,
    SurveySettings,
)
from tillit.feedback.queries import SurveyNotFound, survey_settings_for, token_hash
from tillit.feedback.states import (
    CoCreation,
    FollowUpStatus,
    SurveySource,
    SurveyStatus,
    ensure_survey_transition,
)
from tillit.organisation.models import Person, Unit
from tillit.organisation.queries import managed_unit_ids
from tillit.redaction import redact

CLOSINGS_CURSOR = "surveys.closings"
MAX_COMMENT = 2000
MAX_NOTE = 4000
MAX_APPRECIATION = 500


def _refuse(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _text(field: str, value: str, limit: int, *, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise _refuse(field, _("This field cannot be empty."), "required")
    if len(value) > limit:
        raise _refuse(
            field,
            _("The text is too long (at most %(max)d characters).") % {"max": limit},
            "too_long",
        )
    return value


def sampled(case_id: int, share_percent: int) -> bool:
    """Whether a case falls in the unit's share. Decided by a hash of the case id, so it is
    random across cases yet the same every time the same case is looked at."""
    digest = hashlib.sha256(f"survey:{case_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < share_percent


def survey_link(token: str) -> str:
    return f"{settings.TILLIT_BASE_URL.rstrip('/')}{reverse('feedback:survey', args=[token])}"


# --- surveys: scheduling and sending ------------------------------------------------------------


def schedule_surveys(*, limit: int = 5000) -> int:
    """Schedule a survey for each case closed since the last run, if its unit samples it.

    The first run only notes where the case log stands: switching surveys on never sends a
    survey about a case closed long ago.
    """
    cursor, created = FeedCursor.objects.get_or_create(
        name=CLOSINGS_CURSOR, defaults={"position": casefeed.latest_event_id()}
    )
    if created:
        return 0
    position = casefeed.Position(cursor.position, {int(k): v for k, v in cursor.gaps.items()})
    closed, position = casefeed.closed_after(position, now=time.time(), limit=limit)
    known = set(
        Survey.objects.filter(case_id__in=[c.case_id for c in closed]).values_list(
            "case_id", flat=True
        )
    )
    scheduled = 0
    for case in closed:
        if case.case_id in known:
            continue
        if case.is_secret and not settings.TILLIT_SURVEY_SECRET_CASES:
            continue  # the e-mail itself could reveal a contact that secrecy protects (OSL)
        config = survey_settings_for(case.owner_unit_id)
        if not config.enabled or not sampled(case.case_id, config.share_percent):
            continue
        try:
            with transaction.atomic():
                Survey.objects.create(
                    case_id=case.case_id,
                    unit_id=case.owner_unit_id,
                    case_type_id=case.case_type_id,
                    channel=case.channel,
                    status=SurveyStatus.SCHEDULED,
                    source=SurveySource.CLOSED,
                    closed_at=case.closed_at,
                    send_after=case.closed_at + timedelta(hours=config.delay_hours),
                )
        except IntegrityError:
            continue  # a receipt link or a parallel run made it first
        scheduled += 1
    FeedCursor.objects.filter(pk=cursor.pk).update(
        position=position.last, gaps={str(k): v for k, v in position.gaps.items()}
    )
    return scheduled


def _open_link(survey: Survey, now: datetime, valid_days: int) -> str:
    token = secrets.token_urlsafe(12)
    survey.token_hash = token_hash(token)
    survey.sent_at = now
    survey.expires_at = now + timedelta(days=valid_days)
    return token


def send_due_surveys(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send every scheduled survey whose delay has passed: one e-mail each, never two.

    The survey row is locked and marked sent in the transaction that hands the mail to the
    server; if sending fails the mark is rolled back and the next run tries again.
    """
    now = now or timezone.now()
    due = list(
        Survey.objects.filter(status=SurveyStatus.SCHEDULED, send_after__lte=now)
        .order_by("send_after")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in due:
        with transaction.atomic():
            survey = (
                Survey.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=SurveyStatus.SCHEDULED)
                .first()
            )
            if survey is None:
                continue
            summary = casefeed.case_summary(survey.case_id)
            if summary is None or not summary[2]:
                ensure_survey_transition(survey.status, SurveyStatus.NO_ADDRESS)
                survey.status = SurveyStatus.NO_ADDRESS
                survey.save(update_fields=["status"])
                continue
            number, _secret, email = summary
            ensure_survey_transition(survey.status, SurveyStatus.SENT)
            valid_days = survey_settings_for(survey.unit_id).valid_days
            token = _open_link(survey, now, valid_days)
            survey.status = SurveyStatus.SENT
            survey.save(update_fields=["status", "token_hash", "sent_at", "expires_at"])
            try:
                _mail_survey(email, number, token, survey)
            except smtplib.SMTPRecipientsRefused:
                survey.status = SurveyStatus.NO_ADDRESS
                survey.token_hash = None
                survey.expires_at = None
                survey.save(update_fields=["status", "token_hash", "expires_at"])
                continue
            sent += 1
    return sent


def _mail_survey(email: str, number: str, token: str, survey: Survey) -> None:
    assert survey.expires_at is not None
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "number": number,
            "link": survey_link(token),
            "expires": date_format(timezone.localtime(survey.expires_at), "j F Y"),
            "municipality": settings.TILLIT_MUNICIPALITY_NAME,
        }
        subject = render_to_string("feedback/email/survey_subject.txt", context).strip()
        body = render_to_string("feedback/email/survey.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


def expire_surveys(*, now: datetime | None = None) -> int:
    """Mark sent surveys whose link has run out as expired (the link already refuses them; the
    hash stays so that an old link is told it expired rather than that it never existed)."""
    now = now or timezone.now()
    return Survey.objects.filter(status=SurveyStatus.SENT, expires_at__lte=now).update(
        status=SurveyStatus.EXPIRED
    )


@transaction.atomic
def issue_receipt_link(*, case: Case, by: Person) -> str:
    """A survey link for the receipt of a call or visit (printed as a short link and QR code).

    Staff of the owning unit may issue it; issuing it again gives a new link and the old one
    stops working. A case gets one survey whichever way it reaches the citizen.
    """
    if access_to(by, case) != Access.WORK:
        raise _refuse("case", _("Only the owning unit can hand out a survey link."), "not_owner")
    return open_survey(case=case, source=SurveySource.RECEIPT)


@transaction.atomic
def open_survey(*, case: Case, source: SurveySource) -> str:
    """Open the case's survey now and return its link token (only the hash is kept)."""
    if case.is_secret and not settings.TILLIT_SURVEY_SECRET_CASES:
        raise _refuse(
            "case",
            _("Secret cases are not surveyed: the survey could reveal the contact."),
            "secret",
        )
    now = timezone.now()
    survey = Survey.objects.select_for_update().filter(case=case).first()
    if survey is None:
        survey = Survey(
            case=case,
            unit_id=case.owner_unit_id,
            case_type_id=case.case_type_id,
            channel=case.channel,
            status=SurveyStatus.SENT,
            source=source,
            closed_at=case.closed_at,
        )
    elif survey.status == SurveyStatus.SENT:
        if survey.expires_at is None or survey.expires_at <= now:
            raise ValidationError(_("This survey link has expired."), code="expired")
        # a new token replaces the old one, with a new validity
    else:
        ensure_survey_transition(survey.status, SurveyStatus.SENT)
        survey.status = SurveyStatus.SENT
        survey.source = source
    token = _open_link(survey, now, survey_settings_for(survey.unit_id).valid_days)
    survey.save()
    return token


# --- the citizen's answer -----------------------------------------------------------------------


def _score(field: str, value: int) -> int:
    if not isinstance(value, int) or not 1 <= value <= 5:
        raise _refuse(field, _("Choose one of the answers 1 to 5."), "invalid_score")
    return value


@transaction.atomic
def answer_survey(
    *,
    token: str,
    treatment: int,
    got_help: int,
    ease: int,
    comment: str = "",
    wants_contact: bool = False,
    contact: str = "",
) -> SurveyAnswer:
    """Store the citizen's one answer. The comment is redacted before it is stored; asking to
    be contacted opens a follow-up on the case for its owner and notes it in the case log."""
    if not token or len(token) > 100:
        raise SurveyNotFound
    survey = Survey.objects.select_for_update().filter(token_hash=token_hash(token)).first()
    if survey is None:
        raise SurveyNotFound
    now = timezone.now()
    if survey.status == SurveyStatus.SENT and survey.expires_at and survey.expires_at <= now:
        raise ValidationError(_("This survey link has expired."), code="expired")
    ensure_survey_transition(survey.status, SurveyStatus.ANSWERED)
    scores = {
        "treatment": _score("treatment", treatment),
        "got_help": _score("got_help", got_help),
        "ease": _score("ease", ease),
    }
    comment = _text("comment", comment, MAX_COMMENT)
    contact = _text("contact", contact, 200) if wants_contact else ""
    answer = SurveyAnswer.objects.create(
        survey=survey,
        unit_id=survey.unit_id,
        case_type_id=survey.case_type_id,
        channel=survey.channel,
        comment=redact(comment).text if comment else "",
        wants_contact=wants_contact,
        answered_at=now,
        **scores,
    )
    survey.status = SurveyStatus.ANSWERED
    survey.answered_at = now
    survey.save(update_fields=["status", "answered_at"])
    if wants_contact:
        event = append_event(
            case=Case.objects.get(pk=survey.case_id),
            kind=EventKind.FOLLOW_UP,
            by=None,
            body=_("The citizen answered the satisfaction survey and asked to be contacted."),
            data={"survey": survey.pk},
            actor_label=_("citizen (survey)"),
        )
        FollowUp.objects.create(
            case_id=survey.case_id,
            survey=survey,
            unit_id=event.unit_id,
            contact=contact,
            created_at=now,
        )
    return answer


@transaction.atomic
def complete_follow_up(*, follow_up: FollowUp, by: Person, note: str) -> FollowUp:
    """The owner contacted the citizen: what was done is noted on the follow-up and in the log."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    case = Case.objects.get(pk=follow_up.case_id)
    if access_to(by, case) != Access.WORK and follow_up.unit_id not in managed_unit_ids(by):
        raise _refuse(
            "follow_up", _("Only the owning unit can complete this follow-up."), "not_owner"
        )
    if follow_up.status != FollowUpStatus.OPEN:
        raise _refuse(
            "follow_up",
            _("This follow-up was already completed by %(person)s.")
            % {"person": follow_up.done_by},
            "done",
        )
    note = _text("note", note, MAX_NOTE, required=True)
    now = timezone.now()
    follow_up.status = FollowUpStatus.DONE
    follow_up.done_at = now
    follow_up.done_by = by
    follow_up.done_note = note
    follow_up.save(update_fields=["status", "done_at", "done_by", "done_note"])
    append_event(
        case=case,
        kind=EventKind.FOLLOW_UP,
        by=by,
        body=note,
        data={"follow_up": follow_up.pk, "done": True},
    )
    return follow_up


# --- staff: reflection and appreciation ---------------------------------------------------------


@transaction.atomic
def record_reflection(
    *, case: Case, by: Person, co_created: CoCreation, citizen_part: str = "", our_part: str = ""
) -> Reflection:
    """The handler's reflection after closing: kept for the team's learning. Writing it again
    replaces one's own earlier reflection on the case."""
    if access_to(by, case) != Access.WORK:
        raise _refuse("case", _("Only the owning unit can reflect on this case."), "not_owner")
    if case.status != Status.CLOSED:
        raise _refuse("case", _("Reflect on a case once it is closed."), "not_closed")
    if co_created not in CoCreation.values:
        raise _refuse("co_created", _("Choose one of the answers."), "invalid_choice")
    values = {
        "unit_id": case.owner_unit_id,
        "co_created": co_created,
        "citizen_part": _text("citizen_part", citizen_part, MAX_NOTE),
        "our_part": _text("our_part", our_part, MAX_NOTE),
    }
    now = timezone.now()
    reflection = Reflection.objects.select_for_update().filter(case=case, author=by).first()
    if reflection is None:
        return Reflection.objects.create(
            case=case, author=by, created_at=now, updated_at=now, **values
        )
    for name, value in values.items():
        setattr(reflection, name, value)
    reflection.updated_at = now
    reflection.save()
    return reflection


@transaction.atomic
def send_appreciation(
    *, case: Case, by: Person, to: Person, message: str, submission_key: str
) -> Appreciation:
    """A short appreciation to a colleague about a case. Both must be able to see the case, so
    the message never tells anyone about a case they could not read. A repeated submission (the
    same key) returns the first appreciation instead of sending another."""
    existing = Appreciation.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing
    if not submission_key or len(submission_key) > 64:
        raise _refuse("submission_key", _("The form has expired; open it again."), "no_key")
    if access_to(by, case) is None:
        raise _refuse("case", _("You do not have access to this case."), "no_access")
    if to.pk == by.pk:
        raise _refuse("to", _("Appreciation is for someone else."), "self")
    if not to.is_active or access_to(to, case) is None:
        raise _refuse(
            "to",
            _("%(person)s cannot see this case; choose a colleague who worked on it.")
            % {"person": to},
            "receiver_no_access",
        )
    message = _text("message", message, MAX_APPRECIATION, required=True)
    try:
        with transaction.atomic():
            return Appreciation.objects.create(
                case=case,
                sender=by,
                receiver=to,
                message=message,
                created_at=timezone.now(),
                submission_key=submission_key,
            )
    except IntegrityError:
        return Appreciation.objects.get(submission_key=submission_key)


# --- unit settings ------------------------------------------------------------------------------


@transaction.atomic
def configure_surveys(
    *,
    unit: Unit,
    by: Person,
    enabled: bool,
    share_percent: int,
    delay_hours: int,
    valid_days: int,
) -> SurveySettings:
    """A manager sets how the unit surveys its closed cases."""
    if unit.pk not in managed_unit_ids(by):
        raise _refuse(
            "unit", _("Only a manager of the unit can change its surveys."), "not_manager"
        )
    if not 0 <= share_percent <= 100:
        raise _refuse("share_percent", _("Give a share between 0 and 100."), "out_of_range")
    if not 0 <= delay_hours <= 24 * 30:
        raise _refuse("delay_hours", _("Give a delay between 0 and 720 hours."), "out_of_range")
    if not 1 <= valid_days <= 90:
        raise _refuse("valid_days", _("Give between 1 and 90 days."), "out_of_range")
    config, _created = SurveySettings.objects.select_for_update().get_or_create(unit=unit)
    config.enabled = enabled
    config.share_percent = share_percent
    config.delay_hours = delay_hours
    config.valid_days = valid_days
    config.save()
    return config
