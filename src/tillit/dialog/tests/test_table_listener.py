"""The per-process listener of a session's tables (decision 0803): it tells exactly the phones
at the changed tables, and every phone of the session when an announcement was dropped."""

from __future__ import annotations

from typing import Any

from tillit.dialog.consumers import _TableListener


class _Phone:
    def __init__(self) -> None:
        self.heard: list[dict[str, Any]] = []

    def changed(self, event: dict[str, Any]) -> None:
        self.heard.append(event)


def _listener() -> tuple[_TableListener, _Phone, _Phone, _Phone]:
    listener = _TableListener(1)
    first, mate, other = _Phone(), _Phone(), _Phone()
    listener.members = {10: {first, mate}, 20: {other}}  # type: ignore[dict-item]
    return listener, first, mate, other


def test_only_the_phones_at_a_changed_table_hear_of_it_with_its_version():
    listener, first, mate, other = _listener()
    listener.heard({"version": 7, "sender": "a", "seq": 1, "tables": {"10": 5, "30": 6}})
    assert first.heard == mate.heard == [{"scope": "table", "version": 5}]
    assert other.heard == []


def test_a_dropped_announcement_makes_every_phone_of_the_session_read_again():
    listener, first, _mate, other = _listener()
    listener.heard({"version": 7, "sender": "a", "seq": 1, "tables": {"10": 7}})
    listener.heard({"version": 9, "sender": "b", "seq": 4, "tables": {"10": 9}})  # b's first
    assert other.heard == []
    listener.heard({"version": 12, "sender": "a", "seq": 3, "tables": {"10": 12}})  # 2 is lost
    assert other.heard == [{"scope": "table", "version": 12}]
    assert first.heard[-1] == {"scope": "table", "version": 12}
