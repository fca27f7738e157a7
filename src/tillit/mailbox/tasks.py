"""Background work for the shared mailbox: reading the IMAP mailboxes, sending and retrying mail.

Every task can run twice or be killed half-way: ingest is exactly-once by message key, and a send
is claimed by a conditional update before it goes out.
"""

from __future__ import annotations

from django_tasks import task

from tillit.mailbox import actions, queries


@task()
def poll_mailboxes() -> dict[str, int]:
    """Read every configured functional mailbox once (TILLIT_MAILBOX_IMAP)."""
    from tillit.mailbox.poller import poll_mailbox

    return {
        mailbox.address: poll_mailbox(mailbox, url).fetched
        for mailbox, url in queries.configured_mailboxes()
    }


@task()
def deliver(outbound_id: int) -> str:
    return actions.deliver_outbound(outbound_id=outbound_id)


@task()
def deliver_many(outbound_ids: list[int]) -> dict[str, int]:
    """Send a poll batch's acknowledgements one after the other (one task row for the batch). A
    worker killed half-way leaves the rest pending: the periodic `retry_outbound` sends them."""
    outcome: dict[str, int] = {}
    for outbound_id in outbound_ids:
        status = actions.deliver_outbound(outbound_id=outbound_id)
        outcome[status] = outcome.get(status, 0) + 1
    return outcome


@task()
def retry_outbound() -> int:
    """Send what is due: retries after backoff, sends a dead worker left, replies whose send task
    was lost."""
    actions.queue_missing_replies()
    due = actions.due_outbound()
    for outbound_id in due:
        actions.deliver_outbound(outbound_id=outbound_id)
    return len(due)
