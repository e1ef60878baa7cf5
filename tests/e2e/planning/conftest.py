"""The plan world every page test of the editors starts from."""

import pytest

from tests.planning_world import PlanWorld, build_plan_world


@pytest.fixture
def pw() -> PlanWorld:
    return build_plan_world()
