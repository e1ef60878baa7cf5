"""Shared test set-up. The database is SQLite unless SELARAS_DATABASE_URL names PostgreSQL."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SELARAS_DATA_DIR", tempfile.mkdtemp(prefix="selaras-test-"))
os.environ.setdefault("SELARAS_AXES", "0")

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# Shared fixtures for a loaded demo district (reference data + small district), see tests/demo_fixtures.py.
pytest_plugins = ["tests.demo_fixtures"]
