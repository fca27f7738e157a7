"""The case world from the cases app, with a functional mailbox for its contact centre, and real
mail servers (Dovecot for IMAP, aiosmtpd for SMTP) on free ports when a test asks for them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tillit.cases.tests.factories import World, make_world
from tillit.mailbox.actions import set_up_mailbox
from tillit.mailbox.models import Mailbox
from tillit.mailbox.tests.servers import Dovecot, SmtpCapture

ADDRESS = "kc@testkoping.se"


@dataclass
class MailWorld:
    world: World
    mailbox: Mailbox


@pytest.fixture
def mail_world(db: None) -> MailWorld:
    world = make_world()
    return MailWorld(world, set_up_mailbox(unit=world.centre, address=ADDRESS, answer_days=3))


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    server = Dovecot([ADDRESS]).start()
    yield server
    server.stop()


@pytest.fixture
def smtp(settings) -> Iterator[SmtpCapture]:
    server = SmtpCapture().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.stop()
