"""Shared test set-up. The database is SQLite unless SELARAS_DATABASE_URL names PostgreSQL."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

os.environ.setdefault("SELARAS_DATA_DIR", tempfile.mkdtemp(prefix="selaras-test-"))
os.environ.setdefault("SELARAS_AXES", "0")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# Hypothesis profiles. CI must give the same verdict on every run, so there the examples are
# derived from each test (derandomize), no example database carries state between runs, no
# timing limit can fail a test on a loaded 2-core machine, and a failure prints the blob to
# reproduce it. Locally ("dev") exploration stays random so that new inputs keep being tried,
# and the local database replays past failures first.
# HYPOTHESIS_PROFILE chooses explicitly (as does pytest's --hypothesis-profile); else CI=true
# selects "ci". Explicit @settings(...) in a test override only the fields they name. Both derive
# from hypothesis' "default" profile: hypothesis itself loads its own "ci" profile at import when
# it sees CI, which must not leak into "dev".
from hypothesis import HealthCheck, settings  # noqa: E402

HYPOTHESIS_PROFILES = ("ci", "dev")
settings.register_profile(
    "ci", settings.get_profile("default"), derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],  # timing-based: would flake under load
)
settings.register_profile("dev", settings.get_profile("default"), deadline=None, print_blob=True)


def hypothesis_profile_name(environ: Mapping[str, str]) -> str:
    """The profile to load: HYPOTHESIS_PROFILE if set, "ci" when CI is set (not false/0), else "dev"."""
    chosen = environ.get("HYPOTHESIS_PROFILE", "").strip()
    if chosen:
        return chosen
    ci = environ.get("CI", "").strip().lower()
    return "ci" if ci not in ("", "0", "false", "no") else "dev"


settings.load_profile(hypothesis_profile_name(os.environ))

# Shared fixtures for a loaded demo district (reference data + small district), see tests/demo_fixtures.py.
pytest_plugins = ["tests.demo_fixtures"]
