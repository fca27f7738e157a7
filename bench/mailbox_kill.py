"""The shared mailbox under fire: kill the ingesting process 20 times during 2,000 messages.

    .venv/bin/python bench/mailbox_kill.py [--messages 2000] [--kills 20]
    DATABASE_URL=postgres://tillit:tillit@127.0.0.1:5432/tillit_bench_mail \
        .venv/bin/python bench/mailbox_kill.py

The messages go into a real Dovecot (free port); `tillit mailbox_poll --once` reads them in a
child process, which is killed with SIGKILL at 20 random points of the run and started again until
it finishes. Then every message must be in exactly one case: prints JSON lines with the messages
missing and doubled (target 0), the cases made, and the time the run took.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mailbox_ingest import configure, emit, fresh_mailbox


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    database = configure()
    from tillit.mailbox.tests.reliability import kill_run
    from tillit.mailbox.tests.servers import Dovecot

    mailbox = fresh_mailbox()
    dovecot = Dovecot([mailbox.address]).start()
    try:
        report = kill_run(
            mailbox=mailbox,
            dovecot=dovecot,
            user=mailbox.address,
            count=args.messages,
            kills=args.kills,
            seed=args.seed,
        )
    finally:
        dovecot.stop()
    common = {"database": database, "messages": report.messages, "kills": report.kills}
    emit("mailbox.kill_missing", report.missing, "messages", "0", **common)
    emit("mailbox.kill_doubled", report.doubled, "messages", "0", **common)
    emit(
        "mailbox.kill_cases",
        report.cases,
        "cases",
        f"== {report.messages}",
        exactly_once=report.exactly_once,
        one_created_and_one_email_event_per_case=report.events_ok,
        runs=report.runs,
        seconds=round(report.seconds, 1),
        **common,
    )


if __name__ == "__main__":
    main()
