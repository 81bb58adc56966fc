"""One reference test per scenario file: the engine must produce the lines the file expects."""

from __future__ import annotations

from pathlib import Path

import pytest

import mrp_lab

SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios").glob("*.yaml"))


def test_scenarios_folder_is_not_empty():
    assert len(SCENARIOS) >= 30, "the documented scenarios, pitfalls and worked examples"


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_plans_as_expected(path: Path):
    scenario = mrp_lab.load_scenario(path)
    assert scenario.id == path.stem, "a scenario's id is its file name"
    assert scenario.expected is not None, f"{path.name} has no expected block"
    assert scenario.story.strip(), f"{path.name} has no story"
    result = mrp_lab.plan(scenario)
    comparison = result.compare()
    assert comparison.ok, f"{path.name}\n{comparison.report()}"
