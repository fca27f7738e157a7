"""Word frequencies merge Swedish inflection, drop stop words and banned words."""

from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from tillit.dialog.words import Tally, frequencies, tokens


def test_inflections_count_once_under_the_most_common_form():
    """'delaktighet' and 'delaktigheten' are one word, shown as the form most people wrote."""
    result = frequencies(
        ["Delaktighet och tillit", "delaktigheten i gruppen", "Delaktighet!", "tilliten"]
    )
    assert result[0].word == "delaktighet"
    assert result[0].count == 3
    assert {(w.word, w.count) for w in result} >= {("tillit", 2)}


def test_stop_words_and_numbers_are_not_counted():
    assert tokens("Det är vi som har 3 idéer och en plan") == ["idéer", "plan"]


def test_banned_words_never_show_in_any_form():
    assert frequencies(["skit", "skiten", "Jävla möte"]) == frequencies(["möte"])


@override_settings(TILLIT_DIALOG_BANNED_WORDS=["chefen"])
def test_the_banned_list_can_be_extended():
    """A configured word is banned with its inflections."""
    assert tokens("chefen och chef lyssnar") == ["lyssnar"]


def test_ties_are_ordered_alphabetically():
    assert [w.word for w in frequencies(["öppenhet mod", "mod öppenhet"])] == ["mod", "öppenhet"]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["n1", "n2", "a1", "f1"]),
            st.one_of(
                st.none(),
                st.sampled_from(
                    ["delaktighet", "Delaktigheten och mod", "skit", "mod mod", "tillit i möten"]
                ),
            ),
        ),
        max_size=12,
    )
)
def test_a_tally_kept_text_by_text_counts_as_a_recount_of_the_texts_left(changes):
    """The big screen's counts kept change by change (texts added, replaced, taken back) are
    the counts of the texts as they stand at the end (decision 0802)."""
    tally = Tally()
    final: dict[str, str] = {}
    for version, (key, text) in enumerate(changes, start=1):
        tally.set(key, text, version)
        if text is None:
            final.pop(key, None)
        else:
            final[key] = text
    assert tally.top() == frequencies(final.values())


def test_a_late_or_repeated_change_to_a_text_is_ignored():
    """Two processes can announce one text's changes out of order: the newest one counts."""
    tally = Tally()
    tally.set("a1", "tillit", version=2)
    tally.set("a1", "mod", version=1)
    tally.set("a1", "tillit", version=2)
    assert tally.top() == frequencies(["tillit"])


def test_a_screen_that_missed_an_announcement_counts_from_the_database_again():
    """A channel over capacity drops messages: a gap in a process's numbering makes the live
    tally recount instead of showing counts that lack the dropped texts (decision 0802)."""
    from tillit.dialog.consumers import _LiveTally

    live_tally = _LiveTally()
    live_tally.tally = Tally()
    words = {"n1": [1, "mod"]}
    live_tally.heard({"sender": "a", "seq": 1, "version": 1, "words": words})
    live_tally.heard({"sender": "a", "seq": 1, "version": 1, "words": words})  # a second screen
    assert live_tally.tally is not None and live_tally.tally.top() == frequencies(["mod"])
    live_tally.heard({"sender": "a", "seq": 3, "version": 3, "words": {"n3": [3, "tillit"]}})
    assert live_tally.tally is None
