"""Scenario files in, validated ``Scenario`` out (and back to the file format's dict).

Validation has two layers: pydantic models (``extra="forbid"``) check every key and value
with our own strict parsers, then cross-field checks (unique ids, references, planning
period) run on the validated values. Every problem becomes one line in the format's key-path
style (``demand[2].due: expected an ISO date (YYYY-MM-DD), got '2026-13-01'``), gathered into
one ``ScenarioError``; pydantic's own wording never reaches the user.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from .dates import WEEKDAYS, Calendar, DateFormula
from .errors import ScenarioError
from .model import (
    ActionMessage,
    BlankOverflowLevel,
    Demand,
    DemandKind,
    Expected,
    ExpectedLine,
    Item,
    ManufacturingPolicy,
    PlanningFlexibility,
    PlanningPeriod,
    PlanningSetup,
    PlanningWarning,
    ReorderingPolicy,
    ReplenishmentSystem,
    Scenario,
    Supply,
    SupplyKind,
)

__all__ = ["load_scenario", "load_scenarios", "scenario_files", "scenario_from_dict",
           "scenario_to_dict"]

SCENARIO_SUFFIXES = (".yaml", ".yml")
_E = TypeVar("_E", bound=Enum)


# --------------------------------------------------------------------------------------------
# Leaf parsers. Each takes the raw value and returns the model value, or raises a
# PydanticCustomError whose context carries our "expected ..." text.

class _Expect:
    """Annotated metadata: what a field expects, in words (used for missing keys)."""

    def __init__(self, text: str) -> None:
        self.text = text


def _bad(expected: str) -> PydanticCustomError:
    return PydanticCustomError("mrp_value", "expected {expected}", {"expected": expected})


def _field(parse: Callable[[Any], Any], expected: str) -> Any:
    """An ``Annotated`` type validated only by ``parse`` (no pydantic coercion at all)."""

    def validate(value: Any) -> Any:
        try:
            return parse(value)
        except _Invalid as exc:
            raise _bad(exc.expected or expected) from None

    return Annotated[Any, PlainValidator(validate), _Expect(expected)]


class _Invalid(Exception):
    def __init__(self, expected: str | None = None) -> None:
        super().__init__(expected)
        self.expected = expected


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(value: Any) -> float:
    if not _is_number(value) or not math.isfinite(value):
        raise _Invalid()
    return float(value)


def _quantity(value: Any) -> float:
    number = _number(value)
    if number < 0:
        raise _Invalid()
    return number


def _count(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _Invalid()
    return value


def _optional_quantity(value: Any) -> float | None:
    return None if value is None else _quantity(value)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        if value.tzinfo is None and value.time() == time():
            return value.date()  # a date held in a datetime (e.g. from a date picker)
        raise _Invalid("an ISO date (YYYY-MM-DD) without a time")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _Invalid()


def _optional_date(value: Any) -> date | None:
    return None if value is None else _date(value)


def _formula(value: Any) -> DateFormula | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # blank, which is not the same as 0D (reference §1.5)
    if isinstance(value, DateFormula):
        return value
    if not isinstance(value, str):
        raise _Invalid()
    try:
        return DateFormula.parse(value)
    except ValueError:
        raise _Invalid() from None


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid()
    return value


def _optional_bool(value: Any) -> bool | None:
    return None if value is None else _bool(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid()
    return value


def _optional_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return _text(value)


def _title(value: Any) -> str:
    return "" if value is None else _text(value)


def _free_text(value: Any) -> str:
    """Free-form content: kept as text; anything else is stored as its YAML dump."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    try:
        return yaml.safe_dump(value, sort_keys=False, allow_unicode=True).strip()
    except yaml.YAMLError:
        return repr(value)


_SCENARIO_ID = re.compile(r"^[A-Za-z0-9._-]+$")


def _scenario_id(value: Any) -> str:
    if not isinstance(value, str) or not _SCENARIO_ID.match(value):
        raise _Invalid()
    return value


def _record_id(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid()
    return value


def _optional_record_id(value: Any) -> str | None:
    return None if value is None or value == "" else _record_id(value)


def _choices(values: Iterable[str]) -> str:
    shown = [repr(v) for v in values]
    return "one of " + ", ".join(shown[:-1]) + " or " + shown[-1] if len(shown) > 1 else shown[0]


def _enum_parser(enum: type[_E], *, by_name: bool, blank: _E | None = None,
                 blank_means: str = "blank",
                 exclude: Sequence[_E] = ()) -> tuple[Callable[[Any], _E | None], str]:
    """Accept a member's exact value; with ``by_name`` also its name, case-insensitively.
    ``None``/``""`` give ``blank``; without a blank they are left to ``None`` (not given)."""
    members = [m for m in enum if m not in exclude]
    by_value = {m.value: m for m in members}
    by_upper_name = {m.name.upper(): m for m in members}
    expected = _choices([*(m.value for m in members if m is not blank),
                         *([blank.value] if blank is not None else [])])
    if blank is not None:
        expected += f" (or null; blank: {blank_means})"

    def parse(value: Any) -> _E | None:
        if value is None or value == "":
            return blank
        if isinstance(value, str):
            if value in by_value:
                return by_value[value]
            if by_name and value.strip().upper() in by_upper_name:
                return by_upper_name[value.strip().upper()]
        raise _Invalid()

    return parse, expected


def _enum_field(enum: type[_E], *, by_name: bool = True, blank: _E | None = None,
                blank_means: str = "blank", exclude: Sequence[_E] = ()) -> Any:
    parse, expected = _enum_parser(enum, by_name=by_name, blank=blank, blank_means=blank_means,
                                   exclude=exclude)
    return _field(parse, expected)


_WEEKDAY_NAMES = {name.upper(): i for i, name in enumerate(WEEKDAYS)}
_WEEKDAY_NAMES.update({name.upper(): i for i, name in enumerate(
    ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))})


def _weekday(value: Any) -> int:
    if isinstance(value, str) and value.strip().upper() in _WEEKDAY_NAMES:
        return _WEEKDAY_NAMES[value.strip().upper()]
    raise _Invalid()


_ISO = "an ISO date (YYYY-MM-DD)"
_QTY = "a number >= 0"
_FORMULA = "a date formula such as 0D, 2D, 1W, 1M, 1Q or 1Y (blank or null for none)"

Qty = _field(_quantity, _QTY)
OptQty = _field(_optional_quantity, f"{_QTY} (or null)")
SignedQty = _field(_number, "a number (negative means negative on-hand inventory)")
Count = _field(_count, "a whole number >= 0")
Date_ = _field(_date, _ISO)
OptDate = _field(_optional_date, f"{_ISO} (or null)")
Formula = _field(_formula, _FORMULA)
Bool = _field(_bool, "true or false")
OptBool = _field(_optional_bool, "true, false or null (the policy's default)")
Title = _field(_title, "a text (string)")
OptText = _field(_optional_text, "a text (string)")
FreeText = _field(_free_text, "free-form text")
ScenarioId = _field(_scenario_id, "a file-name-like id: letters, digits, '.', '_' or '-'")
RecordId = _field(_record_id, "a non-empty text id (quote numbers, e.g. '1001')")
OptRecordId = _field(_optional_record_id, "a text id (quote numbers, e.g. '1001')")
Weekday = _field(_weekday, "a weekday: Mon, Tue, Wed, Thu, Fri, Sat or Sun")
Policy = _enum_field(ReorderingPolicy, blank=ReorderingPolicy.BLANK,
                     blank_means="the item is not planned")
Replenishment = _enum_field(ReplenishmentSystem)
Manufacturing = _enum_field(ManufacturingPolicy)
OverflowSetting = _enum_field(BlankOverflowLevel)
DemandKind_ = _enum_field(DemandKind)
SupplyKind_ = _enum_field(SupplyKind)
Flexibility = _enum_field(PlanningFlexibility, exclude=(PlanningFlexibility.REDUCE_ONLY,))
Action = _enum_field(ActionMessage, by_name=False)
Warning_ = _enum_field(PlanningWarning, by_name=False)


# --------------------------------------------------------------------------------------------
# The file format as pydantic models.

class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _none_to(empty: Callable[[], Any]) -> Any:
    """A before-validator turning ``key:`` with nothing after it into an empty section/list."""

    def convert(cls: type, value: Any) -> Any:
        return empty() if value is None else value

    return classmethod(convert)


class _Planning(_Section):
    start: Date_
    end: Date_
    work_date: OptDate = None
    today: OptDate = None


class _Setup(_Section):
    respect_planning_parameters: Bool = False
    default_safety_lead_time: Formula = None
    default_dampener_period: Formula = None
    default_dampener_pct: Qty = 0.0
    blank_overflow_level: OverflowSetting = BlankOverflowLevel.USE_ITEM_VALUES_ONLY


class _Calendar(_Section):
    nonworking_weekdays: list[Weekday] = []
    nonworking_dates: list[Date_] = []

    _lists = field_validator("nonworking_weekdays", "nonworking_dates", mode="before")(
        _none_to(list))


class _Item(_Section):
    reordering_policy: Policy = ReorderingPolicy.BLANK
    reorder_point: Qty = 0.0
    reorder_quantity: Qty = 0.0
    maximum_inventory: Qty = 0.0
    overflow_level: Qty = 0.0
    safety_stock_quantity: Qty = 0.0
    safety_lead_time: Formula = None
    lead_time_calculation: Formula = None
    time_bucket: Formula = None
    rescheduling_period: Formula = None
    lot_accumulation_period: Formula = None
    dampener_period: Formula = None
    dampener_quantity: Qty = 0.0
    minimum_order_quantity: Qty = 0.0
    maximum_order_quantity: Qty = 0.0
    order_multiple: Qty = 0.0
    include_inventory: OptBool = None
    replenishment_system: Replenishment = ReplenishmentSystem.PURCHASE
    manufacturing_policy: Manufacturing = ManufacturingPolicy.MAKE_TO_STOCK
    lot_size: Qty = 0.0
    inbound_whse_handling_time: Formula = None


class _Demand(_Section):
    id: RecordId
    kind: DemandKind_
    due: Date_
    qty: Qty
    blanket_order: OptRecordId = None


class _Supply(_Section):
    id: RecordId
    kind: SupplyKind_
    due: Date_
    qty: Qty
    planning_flexibility: Flexibility = PlanningFlexibility.UNLIMITED
    released: Bool = False


class _ExpectedLine(_Section):
    action: Action = None
    supply: OptRecordId = None
    due: OptDate = None
    original_due: OptDate = None
    qty: OptQty = None
    original_qty: OptQty = None
    warning: Warning_ = None
    message: OptText = None
    starting_date: OptDate = None
    ending_date: OptDate = None


class _Expected(_Section):
    line_count: Count = None
    lines: list[_ExpectedLine] = []

    _lines = field_validator("lines", mode="before")(_none_to(list))


class _Scenario(_Section):
    id: ScenarioId
    title: Title = ""
    source: FreeText = ""
    what: FreeText = ""
    story: FreeText = ""
    notes: FreeText = ""
    planning: _Planning
    setup: _Setup = Field(default_factory=_Setup)
    calendar: _Calendar = Field(default_factory=_Calendar)
    item: _Item = Field(default_factory=_Item)
    inventory: SignedQty = 0.0
    demand: list[_Demand] = []
    supply: list[_Supply] = []
    expected: _Expected | None = None

    _sections = field_validator("setup", "calendar", "item", mode="before")(_none_to(dict))
    _lists = field_validator("demand", "supply", mode="before")(_none_to(list))


# --------------------------------------------------------------------------------------------
# Problems and their one-line messages.

@dataclasses.dataclass(frozen=True)
class _Problem:
    key: str
    expected: str
    value: Any
    text: str  # what follows "key: " in the message


def _show(value: Any) -> str:
    """A value as the user wrote it, short and typed."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, datetime):
        return f"{value.isoformat(sep=' ')} (a date with a time)"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple | set | frozenset):
        return "a list"
    if isinstance(value, Enum):
        value = value.value
    text = repr(value)
    if isinstance(value, str) and _is_numeric_text(value):
        text += " (text, not a number)"
    return text if len(text) <= 60 else text[:57] + "..."


def _is_numeric_text(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _key_path(loc: Sequence[int | str]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _model_at(loc: Sequence[int | str]) -> tuple[type[BaseModel] | None, Any]:
    """Walk the models along ``loc``: the model holding the last key, and that key's field."""
    model: type[BaseModel] | None = _Scenario
    field = None
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        if field is None:
            return model, None
        model = _inner_model(field.annotation)
    return model, field


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        inner = _inner_model(arg)
        if inner is not None:
            return inner
    return None


def _expected_of(field: Any) -> str:
    for meta in getattr(field, "metadata", ()):
        if isinstance(meta, _Expect):
            return meta.text
    model = _inner_model(getattr(field, "annotation", None))
    if model is not None:
        required = [n for n, f in model.model_fields.items() if f.is_required()]
        keys = f" with {', '.join(required)}" if required else ""
        return f"a mapping{keys}"
    return "a value"


def _problem_from_pydantic(error: Mapping[str, Any]) -> _Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        parent = loc[:-1]
        key = _key_path(parent)
        name = str(loc[-1])
        key = f"{key}.{name}" if key else name
        owner, _ = _model_at((*parent, "")) if parent else (_Scenario, None)
        allowed = list(owner.model_fields) if owner else []
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        expected = "one of the keys " + ", ".join(allowed)
        if close:
            text = f"unknown key (did you mean {close[0]!r}?)"
        elif not parent:
            text = ("unknown key; allowed at the top level: " + ", ".join(allowed)
                    + " (free-form text belongs under notes)")
        else:
            text = "unknown key; allowed here: " + ", ".join(allowed)
        return _Problem(key, expected, value, text)
    key = _key_path(loc)
    if kind == "mrp_value":
        expected = error["ctx"]["expected"]
        return _Problem(key, expected, value, f"expected {expected}, got {_show(value)}")
    _, field = _model_at(loc)
    if kind == "missing":
        expected = _expected_of(field)
        return _Problem(key, expected, None,
                        f"expected {expected}, got nothing (the key is missing)")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        expected = _expected_of(field) if field is not None and loc and isinstance(
            loc[-1], str) else "a mapping (key: value pairs)"
        if not expected.startswith("a mapping"):
            expected = "a mapping (key: value pairs)"
        return _Problem(key, expected, value, f"expected {expected}, got {_show(value)}")
    if kind in ("list_type", "tuple_type", "iterable_type"):
        return _Problem(key, "a list", value, f"expected a list, got {_show(value)}")
    return _Problem(key, "a valid value", value, f"expected a valid value, got {_show(value)}")


def _position(data: Any, loc: Sequence[int | str]) -> tuple[int, ...]:
    """Where ``loc`` sits in the input, so problems are reported in the file's order."""
    position: list[int] = []
    node = data
    for part in loc:
        if isinstance(node, Mapping) and part in node:
            position.append(list(node).index(part))
            node = node[part]
        elif isinstance(node, list | tuple) and isinstance(part, int) and part < len(node):
            position.append(part)
            node = node[part]
        else:
            position.append(10**6)
            break
    return tuple(position)


def _display_source(source: str | Path | None, data: Any) -> str:
    if source is not None:
        return str(source)
    if isinstance(data, Mapping) and isinstance(data.get("id"), str) and data["id"]:
        return f"scenario {data['id']!r}"
    return "scenario"


def _raise(source: str | Path | None, data: Any, problems: Sequence[_Problem]) -> None:
    where = _display_source(source, data)
    lines = [f"{where}: {p.key}: {p.text}" if p.key else f"{where}: {p.text}"
             for p in problems]
    message = lines[0]
    if len(problems) > 1:
        rest = [f"{p.key}: {p.text}" if p.key else p.text for p in problems[1:]]
        noun = "problem" if len(rest) == 1 else "problems"
        message += f" (and {len(rest)} more {noun}: " + "; ".join(rest) + ")"
    first = problems[0]
    raise ScenarioError(message, source=None if source is None else str(source),
                        key=first.key or None, value=first.value, expected=first.expected,
                        problems=tuple(lines)) from None


def _file_problem(source: str | Path, text: str, expected: str, value: Any = None) -> ScenarioError:
    return ScenarioError(f"{source}: {text}", source=str(source), key=None, value=value,
                         expected=expected, problems=(f"{source}: {text}",))


# --------------------------------------------------------------------------------------------
# Cross-field checks on validated data.

def _cross_check(model: _Scenario) -> list[_Problem]:
    problems: list[_Problem] = []
    if model.planning.end < model.planning.start:
        expected = f"a date on or after planning.start ({model.planning.start.isoformat()})"
        problems.append(_Problem("planning.end", expected, model.planning.end,
                                 f"expected {expected}, got {model.planning.end.isoformat()}"))
    seen: dict[str, str] = {}
    for side, records in (("demand", model.demand), ("supply", model.supply)):
        for i, record in enumerate(records):
            key = f"{side}[{i}].id"
            if record.id in seen:
                expected = "an id used by no other demand or supply"
                problems.append(_Problem(key, expected, record.id,
                                         f"expected {expected}, got {record.id!r} "
                                         f"(already used by {seen[record.id]})"))
            else:
                seen[record.id] = key
    blankets = {d.id for d in model.demand if d.kind is DemandKind.BLANKET_ORDER}
    for i, demand in enumerate(model.demand):
        if demand.blanket_order is None:
            continue
        key = f"demand[{i}].blanket_order"
        if demand.kind is not DemandKind.SALES_ORDER:
            expected = "no blanket_order here: only a sales_order is released from a blanket order"
            problems.append(_Problem(key, expected, demand.blanket_order,
                                     f"only a sales_order can name the blanket order it was "
                                     f"released from, but this demand is a {demand.kind.value}"))
        elif demand.blanket_order not in blankets:
            expected = "the id of a blanket_order demand" + (
                f" ({', '.join(sorted(blankets))})" if blankets else " (there is none)")
            problems.append(_Problem(key, expected, demand.blanket_order,
                                     f"expected {expected}, got {demand.blanket_order!r}"))
    if model.expected is not None:
        supply_ids = [s.id for s in model.supply]
        for i, line in enumerate(model.expected.lines):
            if line.supply is not None and line.supply not in supply_ids:
                expected = "the id of a supply of this scenario" + (
                    f" ({', '.join(supply_ids)})" if supply_ids else " (there is none)")
                problems.append(_Problem(f"expected.lines[{i}].supply", expected, line.supply,
                                         f"expected {expected}, got {line.supply!r}"))
    return problems


# --------------------------------------------------------------------------------------------
# dict -> Scenario

def scenario_from_dict(data: Mapping[str, Any], source: str | Path | None = None) -> Scenario:
    """Validate a dict in the scenario-file format and build a ``Scenario``.

    ``source`` (a file name) is only used to name the origin in error messages.
    Raises ``ScenarioError`` listing every problem found.
    """
    return _build(data, source, path=None)


def _build(data: Any, source: str | Path | None, path: Path | None) -> Scenario:
    if not isinstance(data, Mapping):
        expected = "a mapping at the top level (id: ..., planning: ..., item: ...)"
        _raise(source, data, [_Problem("", expected, data, f"expected {expected}, got "
                                       f"{_show(data)}")])
    data = _plain(data)
    bad_keys = [k for k in data if not isinstance(k, str)]
    if bad_keys:
        _raise(source, data, [_Problem(str(k), "a text key", k,
                                       f"unknown key {k!r}; keys are texts such as 'item'")
                              for k in bad_keys])
    try:
        model = _Scenario.model_validate(data)
    except ValidationError as exc:
        errors = sorted(exc.errors(), key=lambda e: _position(data, e["loc"]))
        _raise(source, data, [_problem_from_pydantic(e) for e in errors])
    problems = _cross_check(model)
    if problems:
        _raise(source, data, problems)
    return _to_scenario(model, path)


def _values(section: _Section) -> dict[str, Any]:
    """A validated section's values as they are (``model_dump`` would unpack dataclasses)."""
    return {name: getattr(section, name) for name in type(section).model_fields}


def _to_scenario(m: _Scenario, path: Path | None) -> Scenario:
    expected = None
    if m.expected is not None:
        expected = Expected(
            line_count=m.expected.line_count,
            lines=tuple(ExpectedLine(**_values(line)) for line in m.expected.lines))
    return Scenario(
        id=m.id,
        planning=PlanningPeriod(**_values(m.planning)),
        item=Item(**_values(m.item)),
        setup=PlanningSetup(**_values(m.setup)),
        calendar=Calendar(frozenset(m.calendar.nonworking_weekdays),
                          frozenset(m.calendar.nonworking_dates)),
        inventory=m.inventory,
        demand=tuple(Demand(**_values(d)) for d in m.demand),
        supply=tuple(Supply(**_values(s)) for s in m.supply),
        expected=expected,
        title=m.title,
        source=m.source,
        what=m.what,
        story=m.story,
        notes=m.notes,
        path=path,
    )


def _plain(value: Any) -> Any:
    """Model objects (as ``Scenario.replace`` may receive them) back into file-format values."""
    converter = _TO_DICT.get(type(value))
    if converter is not None:
        return converter(value)
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, DateFormula):
        return str(value)
    return value


# --------------------------------------------------------------------------------------------
# Scenario -> dict

def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _fields_to_dict(obj: Any, defaults: Any) -> dict[str, Any]:
    """Fields that differ from the defaults, in the file format's spelling."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if defaults is not None and value == getattr(defaults, f.name):
            continue
        if value is None:
            continue
        out[f.name] = _value_out(value)
    return out


def _value_out(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, DateFormula):
        return str(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, float | int):
        return _num(value)
    return value


def _planning_to_dict(p: PlanningPeriod) -> dict[str, Any]:
    return _fields_to_dict(p, None)


def _calendar_to_dict(c: Calendar) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if c.nonworking_weekdays:
        out["nonworking_weekdays"] = [WEEKDAYS[d] for d in sorted(c.nonworking_weekdays)]
    if c.nonworking_dates:
        out["nonworking_dates"] = sorted(c.nonworking_dates)
    return out


def _record_to_dict(record: Demand | Supply) -> dict[str, Any]:
    out = {"id": record.id, "kind": record.kind.value, "due": record.due, "qty": _num(record.qty)}
    if isinstance(record, Demand):
        if record.blanket_order is not None:
            out["blanket_order"] = record.blanket_order
    else:
        if record.planning_flexibility is not PlanningFlexibility.UNLIMITED:
            out["planning_flexibility"] = record.planning_flexibility.value
        if record.released:
            out["released"] = True
    return out


def _expected_line_to_dict(line: ExpectedLine) -> dict[str, Any]:
    return {k: _value_out(v) for k, v in line.given().items()}


def _expected_to_dict(e: Expected) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if e.line_count is not None:
        out["line_count"] = e.line_count
    if e.lines:
        out["lines"] = [_expected_line_to_dict(line) for line in e.lines]
    return out


_TO_DICT: dict[type, Callable[[Any], Any]] = {
    Item: lambda item: _fields_to_dict(item, Item()),
    PlanningSetup: lambda setup: _fields_to_dict(setup, PlanningSetup()),
    PlanningPeriod: _planning_to_dict,
    Calendar: _calendar_to_dict,
    Demand: _record_to_dict,
    Supply: _record_to_dict,
    ExpectedLine: _expected_line_to_dict,
    Expected: _expected_to_dict,
}


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario in the file format: formulas as ``"1W"`` (blank ones omitted), dates as
    ``datetime.date``, enums as their values; fields at their default are left out.
    ``scenario_from_dict(scenario_to_dict(s))`` equals ``s`` (apart from ``path``)."""
    out: dict[str, Any] = {"id": scenario.id}
    for key in ("title", "source", "what", "story"):
        if getattr(scenario, key):
            out[key] = getattr(scenario, key)
    out["planning"] = _planning_to_dict(scenario.planning)
    for key in ("setup", "calendar", "item"):
        section = _TO_DICT[type(getattr(scenario, key))](getattr(scenario, key))
        if section:
            out[key] = section
    if scenario.inventory:
        out["inventory"] = _num(scenario.inventory)
    if scenario.demand:
        out["demand"] = [_record_to_dict(d) for d in scenario.demand]
    if scenario.supply:
        out["supply"] = [_record_to_dict(s) for s in scenario.supply]
    if scenario.expected is not None:
        out["expected"] = _expected_to_dict(scenario.expected)
    if scenario.notes:
        out["notes"] = scenario.notes
    return out


# --------------------------------------------------------------------------------------------
# Files

class _YamlLoader(yaml.SafeLoader):
    """SafeLoader that keeps an impossible date (2026-13-01) as text for our validator to
    report, and refuses a key written twice in one mapping (PyYAML keeps the last silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping", node.start_mark,
                        f"duplicate key {key_node.value!r}", key_node.start_mark)
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _read_yaml(path: Path, shown: str) -> Any:
    if not path.exists():
        raise _file_problem(shown, "file not found", "an existing scenario file")
    if path.is_dir():
        raise _file_problem(shown, "is a directory, not a scenario file", "a .yaml file")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise _file_problem(shown, "is not UTF-8 text", "a UTF-8 YAML file") from None
    except OSError as exc:
        raise _file_problem(shown, f"cannot be read ({exc.strerror})", "a readable file") from None
    try:
        data = yaml.load(text, Loader=_YamlLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise _file_problem(shown, f"{where}invalid YAML: {problem}", "valid YAML") from None
    if data is None:
        raise _file_problem(shown, "empty file; expected a scenario (id: ..., planning: ...)",
                            "a scenario mapping")
    return data


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate one scenario file; ``Scenario.path`` is set to ``path``."""
    path_ = Path(path)
    shown = str(path)
    return _build(_read_yaml(path_, shown), shown, path=path_)


def scenario_files(path_or_dir: str | Path) -> list[Path]:
    """The scenario files a path names: the file itself, or a directory's ``*.yaml``/``*.yml``
    files (not recursive), sorted by name."""
    path = Path(path_or_dir)
    if path.is_dir():
        return sorted((p for p in path.iterdir()
                       if p.is_file() and p.suffix.lower() in SCENARIO_SUFFIXES),
                      key=lambda p: p.name)
    if not path.exists():
        raise _file_problem(str(path_or_dir), "file or directory not found",
                            "an existing scenario file or directory")
    return [path]


def load_scenarios(path_or_dir: str | Path) -> list[Scenario]:
    """Every scenario a file or directory holds (a directory: its ``*.yaml``/``*.yml`` files,
    sorted by name). The first invalid file raises its ``ScenarioError``."""
    return [load_scenario(p) for p in scenario_files(path_or_dir)]
