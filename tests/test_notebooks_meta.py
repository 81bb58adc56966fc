"""The notebooks' shape, checked without running them (nbval runs them).

Every notebook scripts/build_notebooks.py knows exists, its cells are the builder's cells (so a
notebook edited by hand, or a builder change not rebuilt, fails here), it was saved executed and
without errors, it has exactly one VERDICT cell that asserts and prints only "VERDICT ...: OK"
lines, its last code cell shows a widget, every scenario file it loads exists, and its outputs
carry nothing that changes from run to run (timing metadata, memory addresses, random widget ids).
"""

from __future__ import annotations

import importlib.util
import re
import sys
import uuid
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
SCENARIO_DIR = ROOT / "scenarios"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MAX_NOTEBOOK_BYTES = 400_000
SCENARIO_REF = re.compile(r"\.\./scenarios/([A-Za-z0-9_.-]+?)\.ya?ml")


def _load_builder() -> ModuleType:
    name = "build_notebooks"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "build_notebooks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module          # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


BUILDER = _load_builder()
SPECS = {spec.name: spec for spec in BUILDER.NOTEBOOKS}


def _read(name: str) -> nbformat.NotebookNode:
    path = NOTEBOOK_DIR / f"{name}.ipynb"
    assert path.exists(), f"{path.name} is missing: run .venv/bin/python scripts/build_notebooks.py"
    return nbformat.read(path, as_version=4)


def _code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _stdout(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def test_the_builder_lists_the_notebooks_in_the_folder() -> None:
    on_disk = {path.stem for path in NOTEBOOK_DIR.glob("*.ipynb")}
    assert on_disk == set(SPECS), "notebooks/ and scripts/build_notebooks.py disagree"
    assert len(SPECS) >= 12


@pytest.mark.parametrize("name", sorted(SPECS))
def test_cells_are_the_builders(name: str) -> None:
    stored = [(cell.cell_type, cell.source) for cell in _read(name).cells]
    built = [(cell.cell_type, cell.source) for cell in BUILDER.build(SPECS[name]).cells]
    assert stored == built, (f"{name}: cells differ from scripts/build_notebooks.py; rebuild with "
                             f".venv/bin/python scripts/build_notebooks.py {name[:2]}")


@pytest.mark.parametrize("name", sorted(SPECS))
def test_opens_with_a_titled_introduction_citing_its_source(name: str) -> None:
    first = _read(name).cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert "Design" in first.source, "the introduction names the Microsoft page it retells"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_saved_executed_without_errors(name: str) -> None:
    for index, cell in enumerate(_code_cells(_read(name))):
        assert cell.execution_count is not None, f"{name}: code cell {index} was never run"
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"{name}: code cell {index} raised"
            assert output.get("name") != "stderr", f"{name}: code cell {index} wrote to stderr"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_one_verdict_cell_asserts_and_prints_verdicts(name: str) -> None:
    cells = _code_cells(_read(name))
    verdicts = [cell for cell in cells if "verdict" in _tags(cell)]
    assert len(verdicts) == 1, f"{name}: expected exactly one cell tagged 'verdict'"
    cell = verdicts[0]
    assert "assert " in cell.source, "the verdict must fail when the plan is wrong, not just print"
    lines = _stdout(cell).splitlines()
    assert lines, f"{name}: the verdict cell printed nothing"
    for line in lines:
        assert line.startswith("VERDICT ") and line.endswith(": OK"), f"{name}: {line!r}"
    others = [c for c in cells if c is not cell and "VERDICT" in _stdout(c)]
    assert not others, f"{name}: VERDICT printed outside the verdict cell"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_last_code_cell_shows_a_widget(name: str) -> None:
    last = _code_cells(_read(name))[-1]
    assert "widget" in _tags(last)
    assert re.search(r"\b(explore|compare)\(", last.source)
    views = [o for o in last.get("outputs", []) if WIDGET_VIEW in o.get("data", {})]
    assert len(views) == 1, f"{name}: the last code cell must display one widget"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_scenario_it_loads_exists(name: str) -> None:
    referenced = {m.group(1) for cell in _read(name).cells for m in SCENARIO_REF.finditer(cell.source)}
    assert referenced, f"{name}: loads no scenario file"
    missing = sorted(sid for sid in referenced if not (SCENARIO_DIR / f"{sid}.yaml").exists())
    assert not missing, f"{name}: no scenario file for {missing}"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_outputs_are_reproducible_and_small(name: str) -> None:
    nb = _read(name)
    path = NOTEBOOK_DIR / f"{name}.ipynb"
    assert path.stat().st_size < MAX_NOTEBOOK_BYTES, f"{name}: {path.stat().st_size} bytes"
    assert "widgets" not in nb.metadata, "widget state is not stored (it is large and random)"
    for index, cell in enumerate(nb.cells):
        assert cell.id == f"{name[:2]}-{index:02d}", "cell ids are derived, not random"
        assert "execution" not in cell.get("metadata", {}), "no timing metadata"
        for k, output in enumerate(cell.get("outputs", [])):
            data = output.get("data", {})
            texts = [output.get("text", ""), data.get("text/plain", ""), data.get("text/html", "")]
            for text in texts:
                assert not re.search(r" at 0x[0-9a-fA-F]{6,}", text), f"{name}: memory address"
            if WIDGET_VIEW in data:
                expected = uuid.uuid5(uuid.NAMESPACE_URL, f"mrp_lab/{name}/{index}/{k}").hex
                assert data[WIDGET_VIEW]["model_id"] == expected


def test_check_mode_compares_verdicts_and_cells() -> None:
    """``--check`` reads the verdict text the same way the stored notebooks hold it."""
    nb = _read("00-tour")
    verdict_text = BUILDER.verdict_outputs(nb)
    assert len(verdict_text) == 1 and verdict_text[0].startswith("VERDICT ")
    assert BUILDER.sources(nb) == BUILDER.sources(BUILDER.build(SPECS["00-tour"]))
