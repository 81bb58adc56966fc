"""The mrp-lab command: plan, check and their exit codes (0 ok, 1 failed checks, 2 errors)."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import mrp_lab
from mrp_lab.cli import main

# The simplest plan there is: Lot-for-Lot, nothing on hand, one sale of 10 -> one New line of
# 10 due on the sale's date (reference §4.5).
LOT_FOR_LOT: dict[str, Any] = {
    "id": "l4l-one-sale",
    "title": "One sale, nothing on hand",
    "planning": {"start": "2026-01-05", "end": "2026-02-27"},
    "item": {"reordering_policy": "Lot-for-Lot"},
    "demand": [{"id": "SO1", "kind": "sales_order", "due": "2026-01-07", "qty": 10}],
    "expected": {"line_count": 1,
                 "lines": [{"action": "New", "due": "2026-01-07", "qty": 10}]},
}


def scenario_file(directory: Path, name: str, **changes: Any) -> Path:
    data = copy.deepcopy(LOT_FOR_LOT)
    data.update(changes)
    path = directory / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.startswith("mrp-lab ")


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys)
    assert code == 2
    assert "usage: mrp-lab" in err


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "plan", "x.yaml", "--frobnicate")
    assert code == 2
    assert "unrecognized arguments" in err


def test_plan_prints_the_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", str(scenario_file(tmp_path, "a.yaml")))
    assert code == 0, err
    assert "l4l-one-sale" in out
    table = [row for row in out.splitlines() if row.startswith("1  ")]
    assert len(table) == 1, out
    cells = table[0].split()
    assert cells[1] == "New"
    assert "2026-01-07" in cells
    assert "10" in cells            # a quantity without needless decimals
    assert "10.0" not in table[0]
    assert all(len(row) <= 100 for row in out.splitlines() if not row.startswith(" "))


def test_plan_explain_appends_the_trace(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = scenario_file(tmp_path, "a.yaml")
    code, out, err = run(capsys, "plan", str(path), "--explain")
    assert code == 0, err
    explanation = out.split("Explanation:", 1)
    assert len(explanation) == 2, out
    result = mrp_lab.plan(mrp_lab.load_scenario(path))
    assert result.explain(), "the engine recorded no decisions"
    printed = " ".join(explanation[1].split())  # long trace lines are wrapped at 100 columns
    assert all(" ".join(text.split()) in printed for text in result.explain())
    assert all(len(row) <= 100 for row in explanation[1].splitlines())


def test_plan_timeline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", str(scenario_file(tmp_path, "a.yaml")), "--timeline")
    assert code == 0, err
    assert "Projected inventory" in out
    assert "2026-01-07" in out.split("Projected inventory", 1)[1]


def test_plan_bad_file_exits_2_with_the_message(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = scenario_file(tmp_path, "bad.yaml", inventory="many")
    code, out, err = run(capsys, "plan", str(path))
    assert code == 2
    assert f"{path}: inventory: expected a number" in err
    assert out == ""


def test_plan_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "plan", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "file not found" in err


def test_a_scenario_bc_refuses_is_a_result_not_an_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Fixed Reorder Qty. without a Reorder Quantity: BC logs an error and plans nothing (§5.4).
    item = {"reordering_policy": "Fixed Reorder Qty.", "reorder_point": 5,
            "reorder_quantity": 0}
    path = scenario_file(tmp_path, "a.yaml", item=item, expected={"line_count": 0})
    code, out, err = run(capsys, "plan", str(path))
    assert code == 0, err
    assert "Planning errors:" in out and "Reorder Quantity" in out
    code, out, err = run(capsys, "check", str(path))
    assert code == 0, err
    assert "PASS  l4l-one-sale" in out
    assert "planning error: Fixed Reorder Qty. needs a Reorder Quantity" in out
    assert out.splitlines()[-1] == "1 passed, 0 failed"


def test_check_reports_an_engine_exception_as_a_failure_and_goes_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    real_plan = mrp_lab.plan

    def broken(scenario: mrp_lab.Scenario) -> mrp_lab.PlanResult:
        if scenario.id == "broken":
            raise ZeroDivisionError("division by zero")
        return real_plan(scenario)

    monkeypatch.setattr(mrp_lab, "plan", broken)
    scenario_file(tmp_path, "a.yaml", id="broken")
    scenario_file(tmp_path, "b.yaml")
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert code == 1
    assert "FAIL  broken" in out and "the engine raised ZeroDivisionError" in out
    assert "PASS  l4l-one-sale" in out
    assert out.splitlines()[-1] == "1 passed, 1 failed"


def test_check_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(scenario_file(tmp_path, "a.yaml")))
    assert code == 0, out + err
    assert "PASS  l4l-one-sale" in out
    assert out.splitlines()[-1] == "1 passed, 0 failed"


def test_check_fail_shows_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wrong = {"line_count": 1, "lines": [{"action": "New", "due": "2026-01-07", "qty": 99}]}
    code, out, _ = run(capsys, "check", str(scenario_file(tmp_path, "a.yaml", expected=wrong)))
    assert code == 1
    assert "FAIL  l4l-one-sale" in out
    assert "qty  expected 99, got 10" in out
    assert out.splitlines()[-1] == "0 passed, 1 failed"


def test_check_without_expectations_is_not_a_failure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(scenario_file(tmp_path, "a.yaml", expected=None)))
    assert code == 0
    assert "no expectations" in out
    assert out.splitlines()[-1].startswith("0 passed, 0 failed")


def test_check_bad_file_exits_2_and_keeps_checking(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wrong = {"lines": [{"qty": 99}]}
    scenario_file(tmp_path, "a-good.yaml")
    scenario_file(tmp_path, "b-bad.yaml", planning={"start": "2026-01-05"})
    scenario_file(tmp_path, "c-failing.yaml", id="failing", expected=wrong)
    code, out, err = run(capsys, "check", str(tmp_path))
    assert code == 2  # a bad file outranks a failure
    assert "b-bad.yaml: planning.end: expected an ISO date" in err
    assert "PASS  l4l-one-sale" in out   # files before and after the bad one are checked
    assert "FAIL  failing" in out
    assert out.index("PASS") < out.index("FAIL")  # sorted by name
    assert out.splitlines()[-1].startswith("1 passed, 1 failed")


def test_check_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", str(tmp_path / "missing"))
    assert code == 2
    assert "not found" in err


def test_real_command_in_a_subprocess(tmp_path: Path) -> None:
    command = shutil.which("mrp-lab", path=str(Path(sys.executable).parent))
    argv = [command] if command else [sys.executable, "-m", "mrp_lab.cli"]
    path = scenario_file(tmp_path, "a.yaml")
    done = subprocess.run([*argv, "plan", str(path), "--explain"], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "New" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    bad = subprocess.run([*argv, "check", str(tmp_path / "nope.yaml")], capture_output=True,
                         text=True, timeout=120, check=False)
    assert bad.returncode == 2
    assert "not found" in bad.stderr
    assert "Traceback" not in bad.stdout + bad.stderr
