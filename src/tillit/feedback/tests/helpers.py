"""Shared steps for feedback tests: close a case, let the survey task run, read the mail."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.core import mail
from django.utils import timezone

from tillit.cases import actions as case_actions
from tillit.cases.models import Case
from tillit.cases.tests.factories import World, register
from tillit.feedback import actions

STOCKHOLM = ZoneInfo("Europe/Stockholm")
LINK = re.compile(r"https?://\S+/aterkoppling/e/([\w-]+)/")


def start_survey_feed() -> None:
    """The first run only notes where the case log stands."""
    actions.schedule_surveys()


def closed_case(world: World, **kwargs: object) -> Case:
    case = register(world, **kwargs)
    return case_actions.close_case(case=case, by=world.centre_staff, resolution="Besvarat.")


def send_surveys_later(hours: int = 25) -> int:
    actions.schedule_surveys()
    return actions.send_due_surveys(now=timezone.now() + timedelta(hours=hours))


def survey_token_from_mail() -> str:
    found = LINK.search(mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


@contextmanager
def frozen(moment: datetime) -> Iterator[None]:
    """Every `timezone.now()` (the actions', the models') answers `moment`."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)
