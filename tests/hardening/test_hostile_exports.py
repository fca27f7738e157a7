"""Hostile text in the places a citizen or a participant writes without an account, read back
where it is shown to many: the dialog's big screen, its summary and its CSV exports; and the
catalogue's CSV export. No payload runs, no page breaks, no cell is a formula.
(dialog and catalogue are other helpers' apps: tested here, not changed.)"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tillit.catalogue.tests.factories import CaseTypeFactory
from tillit.dialog.tests.factories import go_to_step, make_session

from .corpus import CORPUS, executed, formula_cells, whole_page
from .test_hostile_forms import signed_in

# At most ten factors per table: every formula variant and one of each executable class.
SHOWN = [*CORPUS["formula"], *(CORPUS[c][1] for c in ("script", "attribute", "url", "svg"))]


@pytest.fixture
def dialog(db):
    """A session at its last step, a participant who joined under a hostile name, and one
    success factor per payload."""
    session = make_session(factors_per_table=len(SHOWN))
    participant = Client()
    name = CORPUS["attribute"][1].text[:40]
    response = participant.post(reverse("dialog:join"), {"code": session.code, "name": name})
    assert response.status_code == 302
    go_to_step(session, 3)
    for payload in SHOWN:
        cache.clear()  # the participants' rate limit is not what is tested here
        response = participant.post(
            reverse("dialog:add_factor", args=[session.code]), {"step": 3, "text": payload.text}
        )
        assert response.status_code < 500
    return session, participant


def test_the_big_screen_and_summary_show_hostile_factors_harmless(dialog):
    session, participant = dialog
    facilitator = signed_in(session.facilitator)
    for name, client, url in [
        ("screen", facilitator, reverse("dialog:screen", args=[session.pk])),
        ("summary", facilitator, reverse("dialog:summary", args=[session.pk])),
        ("control", facilitator, reverse("dialog:control", args=[session.pk])),
        ("participant", participant, reverse("dialog:participant", args=[session.code])),
    ]:
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert whole_page(html), name
        assert not executed(html, SHOWN), f"{name}: {executed(html, SHOWN)}"
        if name != "screen":  # the big screen shows factors only once the facilitator reveals
            assert any(p.marker in html for p in SHOWN), f"{name} shows none of the factors"
    live = facilitator.get(reverse("dialog:screen_live", args=[session.pk])).content.decode()
    assert not executed(live, SHOWN), executed(live, SHOWN)


def test_the_dialog_csv_exports_have_no_formula_cells(dialog):
    session, _participant = dialog
    facilitator = signed_in(session.facilitator)
    response = facilitator.get(reverse("dialog:csv", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert not formula_cells(response.content)
    for payload in CORPUS["formula"]:
        assert payload.marker in response.content.decode("utf-8-sig")


def test_the_catalogue_csv_export_has_no_formula_cells(world):
    for payload in CORPUS["formula"]:
        CaseTypeFactory(administration=world.administration, name=payload.text[:60])
    response = signed_in(world.admin_contact).get(reverse("catalogue:export_csv"))
    assert response.status_code == 200
    assert not formula_cells(response.content)
