"""One poll of a functional mailbox: fetch what is new over IMAP and ingest it batch by batch.

The poll holds a lease on the mailbox so two pollers never read one mailbox at once; each batch of
up to 25 messages is stored and routed in one transaction with the mailbox's IMAP position, so a
poll killed at any point resumes after the last stored batch (and a message fetched twice is
recognised). A batch that fails is ingested again message by message, each in its own
transaction, so one bad message never blocks the others. A message above the size limit is
ingested from its headers, with a note, so it is never silently skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from tillit.mailbox import actions
from tillit.mailbox.imap import ImapError, ImapFolder, account_from_url
from tillit.mailbox.models import Mailbox

BATCH = 25


@dataclass
class PollResult:
    address: str
    counts: dict[str, int] = field(default_factory=dict)
    skipped: bool = False
    error: str = ""

    @property
    def fetched(self) -> int:
        return sum(self.counts.values())


def _position(mailbox: Mailbox, folder: ImapFolder) -> int:
    mailbox.refresh_from_db(fields=["uidvalidity", "last_uid"])
    if mailbox.uidvalidity != folder.uidvalidity:
        actions.restart_position(mailbox=mailbox, uidvalidity=folder.uidvalidity)
    return mailbox.last_uid


def poll_mailbox(mailbox: Mailbox, url: str, *, limit: int | None = None) -> PollResult:
    result = PollResult(mailbox.address)
    token = actions.claim_poll(mailbox=mailbox)
    if token is None:
        result.skipped = True
        return result
    largest = settings.TILLIT_MAILBOX_MAX_MESSAGE_BYTES
    try:
        with ImapFolder(account_from_url(url)) as folder:
            uids = folder.uids_after(_position(mailbox, folder))[:limit]
            for start in range(0, len(uids), BATCH):
                chunk = uids[start : start + BATCH]
                sizes = folder.sizes(chunk)
                small = [uid for uid in chunk if sizes.get(uid, 0) <= largest]
                large = [uid for uid in chunk if sizes.get(uid, 0) > largest]
                fetched = [(uid, raw, None) for uid, raw in folder.fetch(small)] + [
                    (uid, raw, sizes[uid]) for uid, raw in folder.fetch(large, "BODY.PEEK[HEADER]")
                ]
                batch = [
                    actions.Fetched(uid, raw, too_large)
                    for uid, raw, too_large in sorted(fetched, key=lambda item: item[0])
                ]
                for ingested in actions.ingest_batch(
                    mailbox=mailbox, fetched=batch, uidvalidity=folder.uidvalidity
                ):
                    result.counts[ingested.status] = result.counts.get(ingested.status, 0) + 1
                actions.renew_poll(mailbox=mailbox, token=token)
    except ImapError as error:
        result.error = str(error)
    finally:
        actions.release_poll(mailbox=mailbox, token=token, error=result.error)
    return result


def skip_existing(mailbox: Mailbox, url: str) -> int:
    """Start reading from the next message to arrive (for a mailbox with years of old mail)."""
    with ImapFolder(account_from_url(url)) as folder:
        uids = folder.uids_after(0)
        actions.restart_position(mailbox=mailbox, uidvalidity=folder.uidvalidity)
        actions.skip_to(mailbox=mailbox, uid=uids[-1] if uids else 0)
        return len(uids)
