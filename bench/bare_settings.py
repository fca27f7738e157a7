"""Settings for the benchmark server: Tillit's own, plus the bare comparison view."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare"
