"""The demo: a finished leadership day where "Delaktighet" tops the words, and an open session."""

import pytest
from django.core.management import call_command

from tillit.dialog import queries
from tillit.dialog.demo import FINISHED_TITLE, OPEN_TITLE
from tillit.dialog.models import Participant, Session

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_finished_day_and_an_open_session_and_loads_once(capsys):
    call_command("demo")
    counts = (Session.objects.count(), Participant.objects.count())
    call_command("demo")
    assert (Session.objects.count(), Participant.objects.count()) == counts
    finished = Session.objects.get(title=FINISHED_TITLE)
    assert finished.is_finished
    names = [t.name for t in finished.tables.all()]
    assert names == ["Eldkvarn", "Strömmen", "Holmen", "Laxholmen"]
    assert queries.word_frequencies(finished)[0].word == "delaktighet"
    assert finished.action_items.exists() and finished.proposals.exists()
    open_session = Session.objects.get(title=OPEN_TITLE)
    assert not open_session.is_finished
    assert open_session.code in capsys.readouterr().out
