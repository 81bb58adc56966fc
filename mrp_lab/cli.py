"""The ``mrp-lab`` command: plan one scenario file, or check scenario files against their
``expected`` block. The only module in mrp_lab that prints."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .compare import format_qty
from .errors import MrpLabError, ScenarioError
from .loader import load_scenario, scenario_files
from .result import PlanLine, PlanResult, TimelineRow

WIDTH = 100
EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("mrp_lab")
    except Exception:  # not installed (running from a source tree)
        return "unknown"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mrp-lab",
        description="Business Central single-item supply planning, re-implemented and explained.")
    parser.add_argument("--version", action="version", version=f"mrp-lab {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    plan = commands.add_parser("plan", help="plan one scenario file and print its planning lines")
    plan.add_argument("file", metavar="FILE", help="a scenario file (.yaml)")
    plan.add_argument("--explain", action="store_true",
                      help="also print every engine decision (the trace)")
    plan.add_argument("--timeline", action="store_true",
                      help="also print the projected inventory per date")
    check = commands.add_parser(
        "check", help="plan scenario files and compare them with their expected lines")
    check.add_argument("paths", nargs="+", metavar="FILE|DIR",
                       help="scenario files, or directories of *.yaml/*.yml files")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 check failures, 2 errors)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors: argparse already printed
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        if args.command == "plan":
            return _plan(args.file, explain=args.explain, timeline=args.timeline)
        return _check(args.paths)
    except MrpLabError as exc:
        print(f"mrp-lab: {exc}", file=sys.stderr)
        return EXIT_ERROR


# --- plan -------------------------------------------------------------------------------------

def _plan(file: str, *, explain: bool, timeline: bool) -> int:
    scenario = load_scenario(file)
    from . import plan

    result = plan(scenario)
    out = sys.stdout
    _print_lines(result, out)
    if result.errors:
        print("\nPlanning errors:", file=out)
        for error in result.errors:
            print(textwrap.fill(error, WIDTH, initial_indent="  ", subsequent_indent="    "),
                  file=out)
    if timeline:
        print(file=out)
        _print_timeline(result.timeline_rows, out)
    if explain:
        print("\nExplanation:", file=out)
        for text in result.explain():
            print(textwrap.fill(text, WIDTH, subsequent_indent=" " * 7,
                                break_long_words=False, break_on_hyphens=False), file=out)
    return EXIT_OK


def _date(value: object) -> str:
    return value.isoformat() if value is not None else ""  # type: ignore[attr-defined]


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    """Columns as wide as their content; two spaces apart, one if that fits in WIDTH."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    gap = "  " if sum(widths) + 2 * (len(widths) - 1) <= WIDTH else " "

    def fmt(cells: Sequence[str]) -> str:
        return gap.join(c.rjust(w) if i in right else c.ljust(w)
                        for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return [fmt(headers), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)]


def _print_lines(result: PlanResult, out: TextIO) -> None:
    scenario = result.scenario
    policy = scenario.item.reordering_policy.value or "blank reordering policy"
    lines = result.planning_lines
    title = f" - {scenario.title}" if scenario.title else ""
    print(textwrap.fill(f"{scenario.id}{title}", WIDTH, subsequent_indent="  "), file=out)
    print(f"{policy}; planning {scenario.planning.start.isoformat()} to "
          f"{scenario.planning.end.isoformat()}; {len(lines)} planning line"
          f"{'' if len(lines) == 1 else 's'}", file=out)
    if not lines:
        why = ("planning stopped for this item" if result.errors
               else "planning suggests no change")
        print(f"No planning lines: {why}.", file=out)
        return
    print(file=out)
    headers = ["#", "action", "supply", "due", "was due", "qty", "was qty", "starting",
               "ending", "warning"]
    rows = [_line_row(i, line) for i, line in enumerate(lines, start=1)]
    for text in _table(headers, rows, right={0, 5, 6}):
        print(text, file=out)
    print(file=out)
    for i, line in enumerate(lines, start=1):
        _print_line_notes(i, line, out)


def _line_row(number: int, line: PlanLine) -> list[str]:
    """The table row; "was" columns stay empty when planning did not change that value."""
    was_due = line.original_due if line.original_due != line.due else None
    was_qty = line.original_qty if line.original_qty != line.qty else None
    return [str(number), line.action.value, line.supply or "", _date(line.due),
            _date(was_due),
            format_qty(line.qty),
            "" if was_qty is None else format_qty(was_qty),
            _date(line.starting_date), _date(line.ending_date),
            line.warning.value if line.warning else ""]


def _print_line_notes(number: int, line: PlanLine, out: TextIO) -> None:
    label = f"{number:>2}. "
    indent = " " * len(label)
    reason = line.reason or "(no reason recorded)"
    print(textwrap.fill(reason, WIDTH, initial_indent=label, subsequent_indent=indent),
          file=out)
    if line.message:
        print(textwrap.fill(f"message: {line.message}", WIDTH, initial_indent=indent,
                            subsequent_indent=indent + "  "), file=out)
    if not line.accept_action_message:
        print(f"{indent}Accept Action Message: no", file=out)


def _level(rows: Sequence[TimelineRow], name: str) -> str | None:
    values = {getattr(r, name) for r in rows} - {None}
    if not values:
        return None
    if len(values) == 1:
        return format_qty(values.pop())
    return f"{format_qty(min(values))} to {format_qty(max(values))}"


def _print_timeline(rows: Sequence[TimelineRow], out: TextIO) -> None:
    print("Projected inventory (before -> after the suggestions):", file=out)
    if not rows:
        print("  (no dates)", file=out)
        return
    headers = ["date", "demand", "supply before", "supply after", "projected before",
               "projected after", "available after"]
    # Dates where nothing arrives or leaves repeat the line above; keep the first and last.
    shown = [r for i, r in enumerate(rows)
             if i in (0, len(rows) - 1) or r.demand or r.supply_before or r.supply_after]
    table = [[_date(r.date), format_qty(r.demand), format_qty(r.supply_before),
              format_qty(r.supply_after), format_qty(r.projected_inventory_before),
              format_qty(r.projected_inventory_after), format_qty(r.projected_available_after)]
             for r in shown]
    for text in _table(headers, table, right=set(range(1, len(headers)))):
        print(text, file=out)
    if len(shown) < len(rows):
        print(f"({len(rows) - len(shown)} dates without demand or supply not shown)", file=out)
    levels = [(label, _level(rows, name)) for label, name in (
        ("reorder point", "reorder_point"), ("safety stock", "safety_stock"),
        ("maximum inventory", "maximum_inventory"), ("overflow level", "overflow_level"))]
    named = [f"{label} {value}" for label, value in levels if value is not None]
    if named:
        print("Levels: " + ", ".join(named), file=out)


# --- check ------------------------------------------------------------------------------------

def _check(paths: Sequence[str]) -> int:
    from . import plan

    passed = failed = without = errors = 0
    for given in paths:
        try:
            files = scenario_files(given)
        except ScenarioError as exc:
            print(f"mrp-lab: {exc}", file=sys.stderr)
            errors += 1
            continue
        if not files and Path(given).is_dir():
            print(f"mrp-lab: {given}: no *.yaml or *.yml files", file=sys.stderr)
        for file in files:
            try:
                scenario = load_scenario(file)
            except ScenarioError as exc:
                print(f"ERROR {file}")
                print(f"mrp-lab: {exc}", file=sys.stderr)
                errors += 1
                continue
            try:
                # A scenario Business Central would refuse to plan is a result, not an
                # exception: no lines, and the reason in result.errors (shown below).
                result = plan(scenario)
            except Exception as exc:  # an engine bug: this scenario fails, the others still run
                failed += 1
                print(f"FAIL  {scenario.id} ({file})")
                print(f"      the engine raised {type(exc).__name__}: {exc}")
                continue
            comparison = result.compare()
            if not comparison.has_expectations:
                without += 1
                print(f"----  {scenario.id}: no expectations ({len(result.planning_lines)} "
                      f"planning lines)")
            elif comparison.ok:
                passed += 1
                print(f"PASS  {scenario.id}")
            else:
                failed += 1
                print(f"FAIL  {scenario.id} ({file})")
                print(textwrap.indent(comparison.report(), "      "))
            for error in result.errors:
                print(textwrap.fill(f"planning error: {error}", WIDTH, initial_indent="      ",
                                    subsequent_indent="        "))
    summary = f"{passed} passed, {failed} failed"
    if without:
        summary += f", {without} without expectations"
    if errors:
        summary += f", {errors} with errors"
    print(summary)
    if errors:
        return EXIT_ERROR
    return EXIT_FAILED if failed else EXIT_OK


__all__ = ["main"]

if __name__ == "__main__":  # python -m mrp_lab.cli
    sys.exit(main())
