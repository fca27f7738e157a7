"""Reading a real IMAP mailbox (Dovecot on a free port): new mail becomes cases once, the
mailbox staff read in their mail client is never changed, and failures are reported, not raised."""

from __future__ import annotations

from django.test import override_settings

from tillit.cases.models import Case
from tillit.cases.states import EventKind
from tillit.mailbox import actions
from tillit.mailbox.models import InboundMessage
from tillit.mailbox.poller import poll_mailbox
from tillit.mailbox.samples import citizen_mail
from tillit.mailbox.tasks import poll_mailboxes
from tillit.mailbox.tests.conftest import ADDRESS


def test_mail_delivered_to_the_imap_mailbox_becomes_cases_exactly_once(mail_world, dovecot):
    dovecot.deliver(
        ADDRESS,
        citizen_mail(subject="Första"),
        citizen_mail(subject="Andra", sender="Olle <olle@example.se>"),
    )
    result = poll_mailbox(mail_world.mailbox, dovecot.url(ADDRESS))
    assert result.error == "" and result.counts == {"new_case": 2}
    assert sorted(Case.objects.values_list("subject", flat=True)) == ["Andra", "Första"]
    assert sorted(InboundMessage.objects.values_list("uid", flat=True)) == [1, 2]
    mail_world.mailbox.refresh_from_db()
    assert mail_world.mailbox.last_uid == 2 and mail_world.mailbox.uidvalidity
    assert poll_mailbox(mail_world.mailbox, dovecot.url(ADDRESS)).fetched == 0
    dovecot.deliver(ADDRESS, citizen_mail(subject="Tredje"))
    assert poll_mailbox(mail_world.mailbox, dovecot.url(ADDRESS)).counts == {"new_case": 1}
    assert Case.objects.count() == 3


def test_tillit_leaves_the_mailbox_as_staff_see_it_in_their_mail_client(mail_world, dovecot):
    dovecot.deliver(ADDRESS, citizen_mail())
    poll_mailbox(mail_world.mailbox, dovecot.url(ADDRESS))
    client = dovecot.client(ADDRESS)
    client.select("INBOX", readonly=True)
    _status, data = client.search(None, "UNSEEN")
    client.logout()
    assert data[0].split() == [b"1"]  # still unread, still there
    assert dovecot.count(ADDRESS) == 1


def test_a_renumbered_folder_is_read_again_without_making_anything_twice(mail_world, dovecot):
    dovecot.deliver(ADDRESS, citizen_mail(subject="Ett"), citizen_mail(subject="Två"))
    poll_mailbox(mail_world.mailbox, dovecot.url(ADDRESS))
    mail_world.mailbox.__class__.objects.update(uidvalidity=1)  # as if the server renumbered
    result = poll_mailbox(mail_world.mailbox, dovecot.url(ADDRESS))
    assert result.counts == {"duplicate": 2}
    assert Case.objects.count() == 2


def test_a_second_poller_waits_while_the_first_holds_the_mailbox(mail_world, dovecot):
    token = actions.claim_poll(mailbox=mail_world.mailbox)
    assert token is not None
    assert poll_mailbox(mail_world.mailbox, dovecot.url(ADDRESS)).skipped
    actions.release_poll(mailbox=mail_world.mailbox, token=token)
    assert not poll_mailbox(mail_world.mailbox, dovecot.url(ADDRESS)).skipped


def test_a_message_above_the_size_limit_is_still_registered_from_its_headers(
    mail_world, dovecot, settings
):
    settings.TILLIT_MAILBOX_MAX_MESSAGE_BYTES = 2_000
    dovecot.deliver(ADDRESS, citizen_mail(subject="Stor bilaga", body="x" * 5_000))
    result = poll_mailbox(mail_world.mailbox, dovecot.url(ADDRESS))
    assert result.counts == {"new_case": 1}
    case = Case.objects.get()
    assert case.subject == "Stor bilaga"
    assert case.events.get(kind=EventKind.EMAIL_IN).data["too_large"] > 2_000


def test_a_wrong_password_is_reported_on_the_mailbox_not_raised(mail_world, dovecot):
    url = dovecot.url(ADDRESS).replace(":brevlada-test@", ":fel@")
    result = poll_mailbox(mail_world.mailbox, url)
    mail_world.mailbox.refresh_from_db()
    assert result.error and mail_world.mailbox.last_error
    assert mail_world.mailbox.lease_until is None  # released for the next try


def test_the_scheduled_task_reads_only_configured_mailboxes(mail_world, dovecot):
    dovecot.deliver(ADDRESS, citizen_mail())
    assert poll_mailboxes.call() == {}
    with override_settings(TILLIT_MAILBOX_IMAP={ADDRESS: dovecot.url(ADDRESS)}):
        assert poll_mailboxes.call() == {ADDRESS: 1}
