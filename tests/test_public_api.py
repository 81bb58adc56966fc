"""The public surface: what ``mrp_lab.__all__`` promises exists, and the docs cover it."""

from __future__ import annotations

import dataclasses
import importlib
import re
from enum import Enum
from pathlib import Path

import pytest
import yaml

import mrp_lab

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
README = ROOT / "README.md"


def test_every_public_name_is_importable() -> None:
    assert mrp_lab.__all__, "mrp_lab.__all__ is empty"
    assert len(set(mrp_lab.__all__)) == len(mrp_lab.__all__)
    module = importlib.import_module("mrp_lab")
    for name in mrp_lab.__all__:
        assert getattr(module, name, None) is not None, f"mrp_lab.{name} is missing"
    namespace: dict[str, object] = {}
    exec("from mrp_lab import *", namespace)
    assert set(mrp_lab.__all__) <= set(namespace)


def glossary_sections() -> dict[str, list[list[str]]]:
    """Each '## Heading' of the glossary with the cells of its table rows."""
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        elif current is not None and line.startswith("|") and not line.startswith("| ---"):
            current.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return sections


@pytest.mark.parametrize("cls", [mrp_lab.Item, mrp_lab.PlanningSetup, mrp_lab.PlanningPeriod,
                                 mrp_lab.Demand, mrp_lab.Supply, mrp_lab.Scenario,
                                 mrp_lab.Calendar])
def test_every_field_is_in_the_glossary(cls: type) -> None:
    sections = glossary_sections()
    assert cls.__name__ in sections, f"docs/glossary.md has no section '## {cls.__name__}'"
    rows = {row[0]: row for row in sections[cls.__name__]}
    for field in dataclasses.fields(cls):
        row = rows.get(f"`{field.name}`")
        assert row is not None, f"{cls.__name__}.{field.name} is not in docs/glossary.md"
        assert len(row) >= 3 and all(row[1:3]), f"{cls.__name__}.{field.name}: empty cells"


ENUMS = [mrp_lab.ReorderingPolicy, mrp_lab.DemandKind, mrp_lab.SupplyKind,
         mrp_lab.ReplenishmentSystem, mrp_lab.ManufacturingPolicy, mrp_lab.PlanningFlexibility,
         mrp_lab.BlankOverflowLevel, mrp_lab.ActionMessage, mrp_lab.PlanningWarning,
         mrp_lab.Decision]


@pytest.mark.parametrize("enum", ENUMS, ids=[e.__name__ for e in ENUMS])
def test_every_enum_value_is_in_the_glossary(enum: type[Enum]) -> None:
    sections = glossary_sections()
    assert enum.__name__ in sections, f"docs/glossary.md has no section '## {enum.__name__}'"
    rows = {row[0]: row for row in sections[enum.__name__]}
    for member in enum:
        row = rows.get(f"`{member.name}`")
        assert row is not None, f"{enum.__name__}.{member.name} is not in docs/glossary.md"
        if member.value and enum is not mrp_lab.Decision and member.name != "REDUCE_ONLY":
            assert f"`{member.value}`" in row[1], (
                f"{enum.__name__}.{member.name}: the file spelling {member.value!r} is not "
                "in the glossary")


def test_readme_example_scenario_is_valid_and_passes() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    assert blocks, "README.md has no yaml example"
    scenario = mrp_lab.Scenario.from_dict(yaml.safe_load(blocks[0]), source="README.md")
    comparison = mrp_lab.plan(scenario).compare()
    assert comparison.has_expectations
    assert comparison.ok, comparison.report()


def test_readme_quick_start_has_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick.splitlines()
                if line.startswith("bash ")]
    assert commands == ["bash scripts/run.sh", "bash scripts/test.sh"]
    for command in commands:
        assert (ROOT / command.split()[1]).is_file()


def test_docs_links_resolve() -> None:
    for page in (README, GLOSSARY, ROOT / "docs" / "scenario-format-extensions.md"):
        for target in re.findall(r"\]\(([^)#]+)\)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), f"{page.name}: broken link {target}"
