"""Regression for issue 5: killed at random points while ingesting, the mailbox still puts every
message in exactly one case (the full 2,000-message, 20-kill run is `bench/mailbox_kill.py`)."""

from __future__ import annotations

import pytest

from tillit.cases.tests.factories import make_world
from tillit.mailbox.actions import set_up_mailbox
from tillit.mailbox.tests.conftest import ADDRESS
from tillit.mailbox.tests.reliability import kill_run


@pytest.mark.django_db(transaction=True)
def test_killed_at_random_points_every_message_is_in_exactly_one_case(dovecot):
    world = make_world()
    mailbox = set_up_mailbox(unit=world.centre, address=ADDRESS)
    report = kill_run(mailbox=mailbox, dovecot=dovecot, user=ADDRESS, count=120, kills=4)
    assert report.kills == 4
    assert report.exactly_once, report
