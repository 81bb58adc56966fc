"""Loading and validating scenario files: every kind of bad input is one clear ScenarioError
naming the file, the key path and what was expected; good input round-trips."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from mrp_lab import (
    ActionMessage,
    DateFormula,
    Demand,
    DemandKind,
    PlanningFlexibility,
    PlanningWarning,
    ReorderingPolicy,
    Scenario,
    ScenarioError,
    SupplyKind,
    load_scenario,
    load_scenarios,
)
from mrp_lab.loader import scenario_from_dict, scenario_to_dict

BASE: dict[str, Any] = {
    "id": "base",
    "title": "A base scenario",
    "planning": {"start": date(2026, 1, 5), "end": date(2026, 3, 31)},
    "item": {"reordering_policy": "Maximum Qty.", "reorder_point": 50,
             "maximum_inventory": 100, "time_bucket": "1W"},
    "inventory": 80,
    "demand": [
        {"id": "SO1", "kind": "sales_order", "due": date(2026, 1, 7), "qty": 40},
        {"id": "SO2", "kind": "sales_order", "due": date(2026, 1, 20), "qty": 10},
    ],
    "supply": [{"id": "PO1", "kind": "purchase_order", "due": date(2026, 1, 12), "qty": 90}],
    "expected": {"line_count": 1, "lines": [
        {"action": "Change Qty.", "supply": "PO1", "qty": 60, "original_qty": 90,
         "warning": "Attention"}]},
}

PYDANTIC_WORDS = ("Field required", "Input should", "Extra inputs", "validation error",
                  "pydantic", "type=")


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def write(tmp_path: Path, data: Any, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def setter(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set a dotted key path (``demand.1.due``) in the scenario dict."""

    def apply(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return apply


def deleter(path: str) -> Callable[[dict[str, Any]], None]:
    def apply(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[part]
        del node[last]

    return apply


# (mutation, key path in the message, a fragment of what was expected, a fragment of "got")
BAD_INPUTS = {
    "text instead of number": (setter("item.reorder_point", "40"), "item.reorder_point",
                               "a number >= 0", "'40'"),
    "bool instead of number": (setter("demand.0.qty", True), "demand[0].qty",
                               "a number >= 0", "true"),
    "negative quantity": (setter("supply.0.qty", -5), "supply[0].qty", "a number >= 0", "-5"),
    "impossible date": (setter("demand.1.due", "2026-13-01"), "demand[1].due",
                        "an ISO date (YYYY-MM-DD)", "'2026-13-01'"),
    "date with a time": (setter("demand.0.due", datetime(2026, 1, 7, 10, 30)), "demand[0].due",
                         "without a time", "2026-01-07 10:30:00"),
    "date as a number": (setter("planning.start", 20260105), "planning.start",
                         "an ISO date", "20260105"),
    "bad date formula": (setter("item.time_bucket", "1 week"), "item.time_bucket",
                         "a date formula", "'1 week'"),
    "formula as a number": (setter("item.lead_time_calculation", 5),
                            "item.lead_time_calculation", "a date formula", "5"),
    "unknown policy": (setter("item.reordering_policy", "Fixed"), "item.reordering_policy",
                       "'Fixed Reorder Qty.'", "'Fixed'"),
    "unknown demand kind": (setter("demand.0.kind", "sale"), "demand[0].kind",
                            "'sales_order'", "'sale'"),
    "unknown supply kind": (setter("supply.0.kind", "po"), "supply[0].kind",
                            "'purchase_order'", "'po'"),
    "reduce_only written in a file": (setter("supply.0.planning_flexibility", "reduce_only"),
                                      "supply[0].planning_flexibility", "'unlimited'",
                                      "'reduce_only'"),
    "released not a bool": (setter("supply.0.released", "yes"), "supply[0].released",
                            "true or false", "'yes'"),
    "include_inventory not a bool": (setter("item.include_inventory", 1),
                                     "item.include_inventory", "true, false", "1"),
    "unknown top-level key": (setter("comment", "hello"), "comment", "unknown key", ""),
    "misspelt item key": (setter("item.reorder_pont", 3), "item.reorder_pont",
                          "did you mean 'reorder_point'", ""),
    "unknown key in a demand": (setter("demand.0.quantity", 3), "demand[0].quantity",
                                "unknown key", ""),
    "missing id": (deleter("id"), "id", "file-name-like id", "nothing"),
    "id not file-name-like": (setter("id", "my scenario"), "id", "file-name-like id",
                              "'my scenario'"),
    "id not a string": (setter("id", 42), "id", "file-name-like id", "42"),
    "title not a string": (setter("title", 3), "title", "a text", "3"),
    "missing planning.end": (deleter("planning.end"), "planning.end", "an ISO date",
                             "nothing (the key is missing)"),
    "missing planning": (deleter("planning"), "planning", "a mapping with start, end",
                         "nothing"),
    "end before start": (setter("planning.end", date(2026, 1, 1)), "planning.end",
                         "on or after planning.start (2026-01-05)", "2026-01-01"),
    "section not a mapping": (setter("item", [1, 2]), "item", "a mapping", "a list"),
    "demand not a list": (setter("demand", {"id": "SO1"}), "demand", "a list", "a mapping"),
    "demand entry not a mapping": (setter("demand.1", "SO2"), "demand[1]", "a mapping",
                                   "'SO2'"),
    "inventory as text": (setter("inventory", "80"), "inventory", "a number", "'80'"),
    "id used twice": (setter("supply.0.id", "SO2"), "supply[0].id",
                      "an id used by no other demand or supply", "already used by demand[1].id"),
    "expected names no supply": (setter("expected.lines.0.supply", "PO9"),
                                 "expected.lines[0].supply", "the id of a supply", "'PO9'"),
    "line_count negative": (setter("expected.line_count", -1), "expected.line_count",
                            "a whole number >= 0", "-1"),
    "line_count not whole": (setter("expected.line_count", 1.5), "expected.line_count",
                             "a whole number >= 0", "1.5"),
    "action not the exact caption": (setter("expected.lines.0.action", "change qty."),
                                     "expected.lines[0].action", "'Change Qty.'",
                                     "'change qty.'"),
    "warning not the exact caption": (setter("expected.lines.0.warning", "attention"),
                                      "expected.lines[0].warning", "'Attention'",
                                      "'attention'"),
    "bad weekday": (setter("calendar", {"nonworking_weekdays": ["Sat", "Sabbath"]}),
                    "calendar.nonworking_weekdays[1]", "a weekday", "'Sabbath'"),
    "bad non-working date": (setter("calendar", {"nonworking_dates": ["tomorrow"]}),
                             "calendar.nonworking_dates[0]", "an ISO date", "'tomorrow'"),
    "blanket order unknown": (setter("demand.1.blanket_order", "BO9"),
                              "demand[1].blanket_order", "the id of a blanket_order demand",
                              "'BO9'"),
    "blanket order on a forecast": (
        lambda d: d["demand"].extend([
            {"id": "BO1", "kind": "blanket_order", "due": date(2026, 2, 1), "qty": 5},
            {"id": "F1", "kind": "forecast", "due": date(2026, 2, 1), "qty": 5,
             "blanket_order": "BO1"}]),
        "demand[3].blanket_order", "only a sales_order", "forecast"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS), ids=list(BAD_INPUTS))
def test_bad_input_names_file_key_and_expectation(tmp_path: Path, case: str) -> None:
    mutate, key, expected, got = BAD_INPUTS[case]
    data = base()
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    error = info.value
    message = str(error)
    assert message.startswith(f"{path}: {key}: "), message
    assert expected in message
    assert got in message
    assert "\n" not in message
    assert not any(word in message for word in PYDANTIC_WORDS), message
    assert error.source == str(path)
    assert error.key == key
    assert expected in (error.expected or "") or expected in message
    assert error.problems and error.problems[0] == message.split(" (and ")[0]


def test_error_value_is_what_the_file_held(tmp_path: Path) -> None:
    data = base()
    data["demand"][1]["due"] = "2026-13-01"
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(tmp_path, data))
    assert info.value.value == "2026-13-01"
    assert info.value.expected == "an ISO date (YYYY-MM-DD)"


def test_unquoted_impossible_date_is_a_scenario_error(tmp_path: Path) -> None:
    # PyYAML itself raises ValueError on an unquoted 2026-13-01; the loader must not.
    path = tmp_path / "x.yaml"
    path.write_text("id: x\nplanning: {start: 2026-01-05, end: 2026-13-01}\n")
    with pytest.raises(ScenarioError, match=r"x\.yaml: planning\.end: expected an ISO date "
                                            r"\(YYYY-MM-DD\), got '2026-13-01'"):
        load_scenario(path)


def test_several_problems_are_all_reported(tmp_path: Path) -> None:
    data = base()
    data["item"]["reorder_point"] = "fifty"
    data["demand"][0]["qty"] = -1
    data["extra"] = 1
    path = write(tmp_path, data)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    error = info.value
    assert len(error.problems) == 3
    assert str(error).startswith(f"{path}: item.reorder_point: ")  # first in file order
    assert "(and 2 more problems: demand[0].qty: " in str(error)
    assert any(p.startswith(f"{path}: extra: unknown key") for p in error.problems)


FILE_PROBLEMS = {
    "not found": (None, "file not found"),
    "yaml syntax": ("id: x\nplanning: {start: 2026-01-05\n", "line 3, column 1: invalid YAML"),
    "tab indentation": ("id: x\nitem:\n\treorder_point: 1\n", "line 3"),
    "duplicate key": ("id: x\nid: y\nplanning: {start: 2026-01-05, end: 2026-01-09}\n",
                      "line 2, column 1: invalid YAML: duplicate key 'id'"),
    "top level a list": ("- 1\n- 2\n", "expected a mapping at the top level"),
    "top level a string": ("hello\n", "expected a mapping at the top level"),
    "empty file": ("", "empty file"),
    "only comments": ("# nothing yet\n", "empty file"),
}


@pytest.mark.parametrize("case", list(FILE_PROBLEMS), ids=list(FILE_PROBLEMS))
def test_file_problems(tmp_path: Path, case: str) -> None:
    text, fragment = FILE_PROBLEMS[case]
    path = tmp_path / "broken.yaml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value).startswith(f"{path}: ")
    assert fragment in str(info.value)
    assert info.value.source == str(path)
    assert "Traceback" not in str(info.value)


def test_a_directory_is_not_a_scenario_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="is a directory"):
        load_scenario(tmp_path)


def test_valid_file_builds_the_model(tmp_path: Path) -> None:
    path = write(tmp_path, base())
    scenario = load_scenario(path)
    assert scenario.path == path
    assert scenario.id == "base"
    assert scenario.item.reordering_policy is ReorderingPolicy.MAXIMUM_QTY
    assert scenario.item.time_bucket == DateFormula(1, "W")
    assert scenario.item.reorder_point == 50.0
    assert scenario.inventory == 80.0
    assert scenario.demand[0].kind is DemandKind.SALES_ORDER
    assert scenario.supply[0].kind is SupplyKind.PURCHASE_ORDER
    assert scenario.supply[0].planning_flexibility is PlanningFlexibility.UNLIMITED
    line = scenario.expected.lines[0]
    assert line.action is ActionMessage.CHANGE_QTY
    assert line.warning is PlanningWarning.ATTENTION
    assert line.given() == {"action": ActionMessage.CHANGE_QTY, "supply": "PO1", "qty": 60.0,
                            "original_qty": 90.0, "warning": PlanningWarning.ATTENTION}


def full() -> dict[str, Any]:
    """A scenario using every key of the format and every extension."""
    data = base()
    data.update({
        "source": {"page": "Design details", "section": "Overflow"},
        "what": "everything at once",
        "story": "A *Markdown* story.\n",
        "notes": "free text",
        "planning": {"start": date(2026, 1, 5), "end": date(2026, 3, 31),
                     "work_date": date(2026, 1, 2), "today": date(2026, 2, 1)},
        "setup": {"respect_planning_parameters": True, "default_safety_lead_time": "1D",
                  "default_dampener_period": "0D", "default_dampener_pct": 12.5,
                  "blank_overflow_level": "allow_default_calculation"},
        "calendar": {"nonworking_weekdays": ["Sat", "Sun"],
                     "nonworking_dates": [date(2026, 1, 1)]},
        "inventory": -7.5,
    })
    data["item"].update({
        "reorder_quantity": 0, "overflow_level": 120, "safety_stock_quantity": 5,
        "safety_lead_time": "0D", "lead_time_calculation": "2W", "rescheduling_period": "1M",
        "lot_accumulation_period": "1Q", "dampener_period": "1Y", "dampener_quantity": 2,
        "minimum_order_quantity": 10, "maximum_order_quantity": 200, "order_multiple": 5,
        "include_inventory": False, "replenishment_system": "assembly",
        "manufacturing_policy": "make_to_order", "lot_size": 40,
        "inbound_whse_handling_time": "1D"})
    data["demand"].append({"id": "BO1", "kind": "blanket_order", "due": date(2026, 2, 2),
                           "qty": 100})
    data["demand"][1]["blanket_order"] = "BO1"
    data["supply"].append({"id": "AO1", "kind": "assembly_order", "due": date(2026, 2, 3),
                           "qty": 4, "planning_flexibility": "none", "released": True})
    data["expected"]["lines"].append(
        {"action": "New", "due": date(2026, 2, 1), "qty": 0.5, "message": "overflow",
         "starting_date": date(2026, 1, 20), "ending_date": date(2026, 1, 30),
         "original_due": date(2026, 1, 12)})
    return data


def test_every_extension_is_read() -> None:
    scenario = scenario_from_dict(full())
    assert scenario.inventory == -7.5
    assert scenario.item.lot_size == 40.0
    assert scenario.item.inbound_whse_handling_time == DateFormula(1, "D")
    assert scenario.demand[1].blanket_order == "BO1"
    assert scenario.supply[1].kind is SupplyKind.ASSEMBLY_ORDER
    assert scenario.supply[1].released is True
    assert scenario.expected.lines[1].starting_date == date(2026, 1, 20)
    assert scenario.expected.lines[1].ending_date == date(2026, 1, 30)
    assert scenario.planning.work_date == date(2026, 1, 2)
    assert scenario.planning.today == date(2026, 2, 1)
    assert scenario.calendar.nonworking_weekdays == frozenset({5, 6})
    assert scenario.calendar.nonworking_dates == frozenset({date(2026, 1, 1)})
    assert "section: Overflow" in scenario.source  # free-form content kept as YAML text


def test_round_trip_through_dict_and_yaml(tmp_path: Path) -> None:
    scenario = scenario_from_dict(full())
    data = scenario_to_dict(scenario)
    assert scenario_from_dict(data) == scenario
    assert data["item"]["time_bucket"] == "1W"
    assert data["item"]["reordering_policy"] == "Maximum Qty."
    assert data["planning"]["start"] == date(2026, 1, 5)
    assert data["calendar"]["nonworking_weekdays"] == ["Sat", "Sun"]
    reloaded = load_scenario(write(tmp_path, data))
    assert reloaded == dataclass_replace_path(scenario, reloaded.path)


def dataclass_replace_path(scenario: Scenario, path: Path | None) -> Scenario:
    import dataclasses

    return dataclasses.replace(scenario, path=path)


def test_to_dict_leaves_out_blanks_and_defaults() -> None:
    data = scenario_to_dict(scenario_from_dict(base()))
    assert "dampener_period" not in data["item"]       # blank formula omitted
    assert "setup" not in data and "calendar" not in data
    assert "include_inventory" not in data["item"]     # None = the policy's default
    assert set(data["expected"]["lines"][0]) == {"action", "supply", "qty", "original_qty",
                                                 "warning"}


@pytest.mark.parametrize("written", [None, "", "  "])
def test_blank_formula_is_none(written: Any) -> None:
    data = base()
    data["item"]["dampener_period"] = written
    data["setup"] = {"default_safety_lead_time": written}
    scenario = scenario_from_dict(data)
    assert scenario.item.dampener_period is None
    assert scenario.setup.default_safety_lead_time is None


def test_absent_formula_is_blank_but_explicit_zero_is_not() -> None:
    data = base()
    assert scenario_from_dict(data).item.safety_lead_time is None
    data["item"]["safety_lead_time"] = "0D"
    scenario = scenario_from_dict(data)
    assert scenario.item.safety_lead_time == DateFormula(0, "D")
    assert scenario_to_dict(scenario)["item"]["safety_lead_time"] == "0D"


@pytest.mark.parametrize(("written", "policy"), [
    ("Fixed Reorder Qty.", ReorderingPolicy.FIXED_REORDER_QTY),
    ("Maximum Qty.", ReorderingPolicy.MAXIMUM_QTY),
    ("Order", ReorderingPolicy.ORDER),
    ("Lot-for-Lot", ReorderingPolicy.LOT_FOR_LOT),
    ("lot_for_lot", ReorderingPolicy.LOT_FOR_LOT),
    ("FIXED_REORDER_QTY", ReorderingPolicy.FIXED_REORDER_QTY),
    ("maximum_qty", ReorderingPolicy.MAXIMUM_QTY),
    ("", ReorderingPolicy.BLANK),
    (None, ReorderingPolicy.BLANK),
])
def test_reordering_policy_spellings(written: Any, policy: ReorderingPolicy) -> None:
    data = base()
    data["item"]["reordering_policy"] = written
    assert scenario_from_dict(data).item.reordering_policy is policy


def test_policy_error_lists_the_choices() -> None:
    data = base()
    data["item"]["reordering_policy"] = "lot-for-lot"
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    for caption in ("Fixed Reorder Qty.", "Maximum Qty.", "Order", "Lot-for-Lot"):
        assert f"'{caption}'" in info.value.expected


def test_negative_inventory_is_allowed_but_only_there() -> None:
    data = base()
    data["inventory"] = -25
    assert scenario_from_dict(data).inventory == -25.0
    data["item"]["safety_stock_quantity"] = -1
    with pytest.raises(ScenarioError, match=r"item\.safety_stock_quantity: expected a number"):
        scenario_from_dict(data)


def test_iso_date_strings_and_midnight_datetimes_are_accepted() -> None:
    data = base()
    data["planning"] = {"start": "2026-01-05", "end": datetime(2026, 2, 5)}
    planning = scenario_from_dict(data).planning
    assert planning.start == date(2026, 1, 5)
    assert planning.end == date(2026, 2, 5)
    assert type(planning.end) is date


def test_weekday_names_are_case_insensitive() -> None:
    data = base()
    data["calendar"] = {"nonworking_weekdays": ["sat", "SUN", "Friday"]}
    assert scenario_from_dict(data).calendar.nonworking_weekdays == frozenset({4, 5, 6})


def test_null_sections_and_lists_mean_empty() -> None:
    data = base()
    data.update({"setup": None, "calendar": None, "supply": None, "expected": None})
    del data["item"]
    scenario = scenario_from_dict(data)
    assert scenario.supply == ()
    assert scenario.expected is None
    assert scenario.item.reordering_policy is ReorderingPolicy.BLANK


def test_free_form_notes_are_stored_as_yaml_text() -> None:
    data = base()
    data["notes"] = {"todo": ["check the dampener", "ask Anna"]}
    notes = scenario_from_dict(data).notes
    assert isinstance(notes, str)
    assert "check the dampener" in notes
    assert yaml.safe_load(notes) == data["notes"]


def test_dict_errors_name_the_scenario_when_there_is_no_file() -> None:
    data = base()
    data["inventory"] = "lots"
    with pytest.raises(ScenarioError, match=r"^scenario 'base': inventory: expected a number"):
        scenario_from_dict(data)
    with pytest.raises(ScenarioError, match=r"^given\.yaml: inventory: "):
        scenario_from_dict(data, source="given.yaml")


def test_replace_revalidates_item_changes() -> None:
    scenario = scenario_from_dict(base())
    changed = scenario.replace(item={"reorder_point": 30, "time_bucket": "2W"})
    assert changed.item.reorder_point == 30.0
    assert changed.item.time_bucket == DateFormula(2, "W")
    assert changed.item.maximum_inventory == scenario.item.maximum_inventory  # kept
    assert scenario.item.reorder_point == 50.0  # the original is untouched
    with pytest.raises(ScenarioError) as info:
        scenario.replace(item={"reorder_point": -3})
    assert info.value.key == "item.reorder_point"
    with pytest.raises(ScenarioError, match=r"item\.reordering_policy"):
        scenario.replace(item={"reordering_policy": "Min-Max"})
    with pytest.raises(ScenarioError, match=r"item\.no_such_field: unknown key"):
        scenario.replace(item={"no_such_field": 1})


def test_replace_accepts_model_objects() -> None:
    scenario = scenario_from_dict(base())
    demand = (Demand("SO9", DemandKind.SALES_ORDER, date(2026, 2, 2), 15.0),)
    changed = scenario.replace(demand=demand, inventory=-3,
                               item={"dampener_period": DateFormula(1, "W")})
    assert changed.demand == demand
    assert changed.inventory == -3.0
    assert changed.item.dampener_period == DateFormula(1, "W")
    with pytest.raises(ScenarioError, match=r"supply\[0\]\.id: .*already used"):
        scenario.replace(demand=(Demand("PO1", DemandKind.SALES_ORDER, date(2026, 2, 2), 1.0),))


def test_load_scenarios_reads_a_directory_sorted_by_name(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yml", "c.yaml"):
        data = base()
        data["id"] = name.split(".")[0]
        write(tmp_path, data, name)
    (tmp_path / "readme.txt").write_text("not a scenario")
    scenarios = load_scenarios(tmp_path)
    assert [s.id for s in scenarios] == ["a", "b", "c"]
    assert scenarios[0].path == tmp_path / "a.yml"
    assert [s.id for s in load_scenarios(tmp_path / "c.yaml")] == ["c"]


def test_load_scenarios_reports_the_bad_file(tmp_path: Path) -> None:
    write(tmp_path, base(), "a.yaml")
    bad = base()
    bad["inventory"] = "x"
    write(tmp_path, bad, "b.yaml")
    with pytest.raises(ScenarioError, match=r"b\.yaml: inventory: "):
        load_scenarios(tmp_path)
    with pytest.raises(ScenarioError, match="not found"):
        load_scenarios(tmp_path / "missing")


def test_file_format_models_cover_every_model_field() -> None:
    """The loader's pydantic models and model.py's dataclasses must not drift apart."""
    import dataclasses

    from mrp_lab import loader
    from mrp_lab.model import Expected, ExpectedLine, Item, PlanningPeriod, PlanningSetup, Supply

    pairs = [(loader._Item, Item), (loader._Setup, PlanningSetup),
             (loader._Planning, PlanningPeriod), (loader._Demand, Demand),
             (loader._Supply, Supply), (loader._ExpectedLine, ExpectedLine),
             (loader._Expected, Expected), (loader._Scenario, Scenario)]
    for model, cls in pairs:
        in_file = set(model.model_fields)
        in_python = {f.name for f in dataclasses.fields(cls)} - {"path"}
        assert in_file == in_python, f"{cls.__name__}: {in_file ^ in_python}"


def test_defaults_match_the_dataclass_defaults() -> None:
    from mrp_lab.model import Item, PlanningSetup

    scenario = scenario_from_dict({"id": "m", "planning": {"start": date(2026, 1, 5),
                                                          "end": date(2026, 1, 5)}})
    assert scenario.item == Item()
    assert scenario.setup == PlanningSetup()
    assert scenario.inventory == 0.0
    assert scenario.demand == () and scenario.supply == ()
    assert scenario.expected is None
    assert scenario_to_dict(scenario) == {"id": "m", "planning": {"start": date(2026, 1, 5),
                                                                  "end": date(2026, 1, 5)}}


def _formulas():
    from hypothesis import strategies as st

    return st.one_of(st.none(), st.builds(DateFormula, st.integers(0, 40),
                                          st.sampled_from("DWMQY")))


def test_round_trip_property() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    quantities = st.one_of(st.integers(0, 10_000), st.floats(0, 1e6, allow_nan=False))
    days = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))
    item = st.fixed_dictionaries({
        "reordering_policy": st.sampled_from([p.value for p in ReorderingPolicy]),
        "reorder_point": quantities, "maximum_inventory": quantities, "lot_size": quantities,
        "time_bucket": _formulas(), "dampener_period": _formulas(),
        "include_inventory": st.one_of(st.none(), st.booleans())})
    record = st.fixed_dictionaries({"due": days, "qty": quantities})

    @settings(max_examples=60, deadline=None)
    @given(item=item, inventory=st.one_of(st.integers(-500, 500), st.floats(-1e5, 1e5)),
           demand=st.lists(record, max_size=4), supply=st.lists(record, max_size=4))
    def check(item: dict[str, Any], inventory: float, demand: list[dict[str, Any]],
              supply: list[dict[str, Any]]) -> None:
        data = {"id": "p", "planning": {"start": date(2026, 1, 5), "end": date(2026, 6, 30)},
                "item": item, "inventory": inventory,
                "demand": [{"id": f"D{i}", "kind": "sales_order", **r}
                           for i, r in enumerate(demand)],
                "supply": [{"id": f"S{i}", "kind": "purchase_order", **r}
                           for i, r in enumerate(supply)]}
        scenario = scenario_from_dict(data)
        again = scenario_from_dict(scenario_to_dict(scenario))
        assert again == scenario
        through_yaml = scenario_from_dict(yaml.safe_load(yaml.safe_dump(
            scenario_to_dict(scenario))))
        assert through_yaml == scenario

    check()
