"""Hypothesis profiles (tests/conftest.py): CI derandomised and stateless, local runs random."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import HYPOTHESIS_PROFILES, hypothesis_profile_name


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "dev"),
        ({"CI": "true"}, "ci"),
        ({"CI": "1"}, "ci"),
        ({"CI": "false"}, "dev"),
        ({"CI": ""}, "dev"),
        ({"CI": "true", "HYPOTHESIS_PROFILE": "dev"}, "dev"),
        ({"HYPOTHESIS_PROFILE": "ci"}, "ci"),
    ],
)
def test_profile_is_chosen_from_the_environment(environ: dict[str, str], expected: str) -> None:
    assert hypothesis_profile_name(environ) == expected


def test_ci_profile_gives_the_same_verdict_every_run() -> None:
    ci = settings.get_profile("ci")
    assert ci.derandomize is True
    assert ci.database is None
    assert ci.deadline is None
    assert ci.print_blob is True
    dev = settings.get_profile("dev")
    assert dev.derandomize is False  # local runs keep exploring new inputs
    assert dev.database is not None
    assert set(HYPOTHESIS_PROFILES) == {"ci", "dev"}


def test_active_profile_follows_the_environment(pytestconfig: pytest.Config) -> None:
    chosen = pytestconfig.getoption("hypothesis_profile", None) or hypothesis_profile_name(os.environ)
    active = settings.default
    expected = settings.get_profile(chosen)
    assert (active.derandomize, active.database, active.deadline) == (
        expected.derandomize, expected.database, expected.deadline)


def test_ci_profile_draws_the_same_examples_twice() -> None:
    def draws() -> list[tuple[int, float]]:
        seen: list[tuple[int, float]] = []

        @settings(parent=settings.get_profile("ci"), max_examples=30)
        @given(st.integers(), st.floats(allow_nan=False))
        def record(i: int, x: float) -> None:
            seen.append((i, x))

        record()
        return seen

    assert draws() == draws()
