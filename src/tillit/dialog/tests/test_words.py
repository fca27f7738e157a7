"""Word frequencies merge Swedish inflection, drop stop words and banned words."""

from django.test import override_settings

from tillit.dialog.words import frequencies, tokens


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
