"""The Swedish interface is complete: every string has a translation, compiled and current."""

import importlib.util
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[4]
spec = importlib.util.spec_from_file_location("po", ROOT / "scripts" / "po.py")
po = importlib.util.module_from_spec(spec)
spec.loader.exec_module(po)


def test_every_string_is_translated_to_swedish():
    assert po.missing() == []


@pytest.mark.parametrize("path", po.catalogs(), ids=lambda p: p.parts[-5])
def test_compiled_catalog_matches_its_source(path):
    from babel.messages.mofile import read_mo

    def entries(catalog):  # plural forms come as lists or tuples: compare them as tuples
        def flat(value):
            return tuple(value) if isinstance(value, list | tuple) else value

        def context(value):  # Babel's .mo reader gives the context as bytes
            return value.decode() if isinstance(value, bytes) else value

        return {(context(m.context), flat(m.id)): flat(m.string) for m in catalog if m.id}

    with path.with_suffix(".mo").open("rb") as handle:
        compiled = entries(read_mo(handle))
    assert compiled == entries(po.load(path)), "run: python scripts/po.py compile"


def test_swedish_is_the_default_and_english_is_available(settings):
    assert settings.LANGUAGE_CODE == "sv"
    with translation.override("en"):
        assert translation.gettext("Skip to content") == "Skip to content"
    with translation.override("sv"):
        assert translation.gettext("Skip to content") == "Hoppa till innehållet"


def test_every_app_with_interface_text_has_a_swedish_catalog():
    apps = ROOT / "src" / "tillit"
    for app in sorted(p for p in apps.iterdir() if (p / "apps.py").exists()):
        sources = [*app.rglob("*.py"), *app.rglob("*.html"), *app.rglob("*.txt")]
        uses_text = any(
            "gettext" in path.read_text(encoding="utf-8")
            or "{% translate" in path.read_text(encoding="utf-8")
            for path in sources
            if "tests" not in path.parts and "migrations" not in path.parts
        )
        if uses_text:
            assert (app / "locale/sv/LC_MESSAGES/django.po").exists(), app.name
