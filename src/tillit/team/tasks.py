"""Background work for the team: keep every unit's hero rota planned a quarter ahead.

Hourly and idempotent: each run plans missing weeks at the end of the horizon and re-plans a
coming week whose hero has left the unit or can no longer take it. Weeks that have begun never
move, so a run repeated after a crash changes nothing.
"""

from __future__ import annotations

from django_tasks import task

from tillit.team.actions import refresh_hero_rota
from tillit.team.queries import units_with_rota


@task()
def refresh_rotas() -> int:
    changed = 0
    for rules in units_with_rota():
        changed += len(refresh_hero_rota(unit=rules.unit))
    return changed
