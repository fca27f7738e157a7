"""What a citizen does without logging in: submit a case on the web, add information to it.

Each action is one transaction around the cases actions, with the files stored inside it
(removed again if it rolls back), and each is safe to repeat: a resubmitted form (double click,
back and send again, a retry after a timeout) finds what the first one made and adds nothing.
Mail leaves only after commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import translation

from tillit.cases.actions import add_citizen_message, register_case, status_token
from tillit.cases.attachments import CheckedFile, atomic_with_files, store_files
from tillit.cases.models import Case
from tillit.cases.parties import PartyInput
from tillit.cases.states import Channel
from tillit.catalogue.models import CaseType
from tillit.public.models import ReceivedMessage
from tillit.public.queries import case_by_token_or_none


@dataclass(frozen=True)
class Submission:
    case: Case
    token: str  # the private status-link token: shown once, never stored in clear
    repeated: bool  # the same form was sent before; this is the case it made


def submit_case(
    *,
    submission_key: str,
    case_type: CaseType,
    subject: str,
    description: str,
    party: PartyInput,
    files: Sequence[CheckedFile] = (),
) -> Submission:
    """Register a web-form case with its files and send the receipt, or find the case this same
    form made before. The status token is derived from the form's key, so the repeat gets the
    same link."""
    token = status_token(submission_key)
    try:
        with atomic_with_files():
            # Looked up inside the transaction: on SQLite the write lock is held from its start,
            # so a second copy of the form waits here and then finds the first one's case.
            existing = case_by_token_or_none(token)
            if existing is not None:
                return Submission(case=existing, token=token, repeated=True)
            case = register_case(
                channel=Channel.WEB,
                by=None,
                subject=subject,
                description=description,
                case_type=case_type,
                party=party,
                submission_key=submission_key,
            )
            store_files(case=case, files=files, by=None, shared_with_citizen=True)
            if case.party is not None and case.party.email:
                from tillit.public.tasks import send_receipt

                language = translation.get_language()
                transaction.on_commit(partial(send_receipt.enqueue, case.pk, language))
    except IntegrityError:
        # PostgreSQL: the other copy committed first and the unique key refused this one.
        existing = case_by_token_or_none(token)
        if existing is None:
            raise
        return Submission(case=existing, token=token, repeated=True)
    return Submission(case=case, token=token, repeated=False)


def add_information(
    *, case: Case, form_key: str, body: str, files: Sequence[CheckedFile] = ()
) -> bool:
    """The citizen adds a message (and files) through the status link; it lands in the case log
    and reopens a closed case (the cases actions' rule). False when this form was received
    before and nothing was added."""
    try:
        with atomic_with_files():
            ReceivedMessage.objects.create(key=form_key, case_id=case.pk)
            add_citizen_message(case=case, body=body)
            store_files(case=case, files=files, by=None, shared_with_citizen=True)
    except IntegrityError:
        if ReceivedMessage.objects.filter(key=form_key).exists():
            return False
        raise
    return True
