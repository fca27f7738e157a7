"""Background work: surveys after closing, and the daily roll-ups behind the dashboards.

Both are safe to run again: a survey is scheduled once per case and sent once (its row is
locked and marked in the sending transaction), and a roll-up replaces the days it covers.
"""

from __future__ import annotations

from django_tasks import task

from tillit.feedback import actions, measures


@task()
def run_surveys() -> dict[str, int]:
    """Find cases closed since the last run, send the surveys whose delay has passed."""
    return {
        "scheduled": actions.schedule_surveys(),
        "sent": actions.send_due_surveys(),
        "expired": actions.expire_surveys(),
    }


@task()
def roll_up() -> dict[str, float]:
    """Rebuild the recent days of the service measures (TILLIT_ROLLUP_DAYS, up to today)."""
    run = measures.roll_up()
    return {"seconds": run.seconds, "cases": run.cases_read, "rows": run.rows_written}
