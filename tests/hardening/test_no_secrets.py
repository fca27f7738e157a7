"""No secrets in the repository: every tracked file is searched for private keys, cloud and chat
tokens, and a Django SECRET_KEY written as a literal. Keys come from the environment, never from
a committed file."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PATTERNS = {
    "private key": re.compile(rb"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----"),
    "AWS access key": re.compile(rb"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(rb"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
    "Slack token": re.compile(rb"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "Stripe live key": re.compile(rb"\bsk_live_[A-Za-z0-9]{16,}"),
    "Django SECRET_KEY literal": re.compile(rb"""\bSECRET_KEY\s*=\s*['"][^'"]{20,}['"]"""),
}


def tracked_files() -> list[Path]:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run([git, "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    names = listed.stdout
    return [ROOT / name.decode() for name in names.split(b"\0") if name]


def test_no_tracked_file_holds_a_secret():
    found = []
    for path in tracked_files():
        if not path.is_file() or path == Path(__file__).resolve():
            continue
        content = path.read_bytes()
        found += [
            f"{path.relative_to(ROOT)}: {kind}" for kind, p in PATTERNS.items() if p.search(content)
        ]
    assert found == [], found


def test_the_search_finds_what_it_looks_for(tmp_path):
    """The patterns match a real-looking secret of each kind (a search that finds nothing proves
    nothing)."""
    samples = {
        "private key": b"-----BEGIN RSA PRIVATE KEY-----\nMIIE...",
        "AWS access key": b"aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "GitHub token": b"token: ghp_" + b"a1" * 18,
        "Slack token": b"xoxb-123456789012-abcdefghij",
        "Stripe live key": b"sk_live_" + b"4eC39HqLyjWDarjtT1zdp7dc",
        "Django SECRET_KEY literal": b'SECRET_KEY = "django-insecure-0123456789abcdefghij"',
    }
    for kind, sample in samples.items():
        assert PATTERNS[kind].search(sample), kind
