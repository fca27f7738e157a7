"""Start-up refuses bad configuration with a clear message, and production defaults are safe."""

import os
import subprocess
import sys
import tempfile

import pytest

PRODUCTION = {
    "SECRET_KEY": "a-production-like-key-that-is-long-enough-0123456789",
    "ALLOWED_HOSTS": "tillit.example.se",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def run_manage(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    # A clean environment, as on a production host: nothing leaks in from the test run.
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", tempfile.gettempdir()),
        **env_overrides,
    }
    return subprocess.run(
        [sys.executable, "-m", "tillit.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_secret_key_stops_start_up():
    result = run_manage(
        {"DJANGO_SETTINGS_MODULE": "config.settings", "ALLOWED_HOSTS": "x"}, "check"
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_migrations_can_be_checked_without_a_secret_key():
    """A fresh clone or a CI job checks the migrations before any key exists."""
    result = run_manage(
        {"DJANGO_SETTINGS_MODULE": "config.settings"},
        "makemigrations",
        "--check",
        "--dry-run",
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_URL", "mysql://nope", "DATABASE_URL='mysql://nope' is not a valid URL"),
        ("DEBUG", "kanske", "DEBUG='kanske' is not a boolean"),
        ("EMAIL_PORT", "tjugofem", "EMAIL_PORT='tjugofem' is not a whole number"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL='localhost:6379' is not a valid URL"),
    ],
)
def test_malformed_setting_is_named(name, value, message):
    result = run_manage({**PRODUCTION, name: value}, "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_pass_the_deploy_check():
    """`manage.py check --deploy` reports no warnings with production defaults."""
    result = run_manage(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_pool_and_persistent_connections_are_refused_together():
    postgres = {**PRODUCTION, "DATABASE_URL": "postgres://tillit:tillit@127.0.0.1:5432/tillit"}
    both = run_manage({**postgres, "DB_POOL_SIZE": "8", "DB_CONN_MAX_AGE": "60"}, "check")
    assert both.returncode != 0
    assert "Use DB_POOL_SIZE or DB_CONN_MAX_AGE, not both." in both.stderr
    pooled = run_manage({**postgres, "DB_POOL_SIZE": "8"}, "diffsettings", "--all")
    assert pooled.returncode == 0, pooled.stderr
    assert "'pool': {'min_size': 1, 'max_size': 8, 'timeout': 10}" in pooled.stdout
