"""Unit tests for mrp_lab.result: the lazily built Trace."""

from __future__ import annotations

import gc
import platform
from datetime import date
from pathlib import Path

import pytest

import mrp_lab
from mrp_lab.result import Decision, Trace, TraceEvent

ROOT = Path(__file__).resolve().parents[1]
ROWS = [("parameters", "§1", "Planning with policy Order.", None, None, None, "lead_time", "3D"),
        ("match", "§4.2", "PO1 meets SO1.", date(2026, 1, 9), "PO1", "SO1", "qty", 10.0,
         "left", 0.0)]


def test_rows_become_events_with_steps_and_values():
    trace = Trace(ROWS)
    assert len(trace) == 2
    first, second = trace
    assert first == TraceEvent(step=1, decision=Decision.PARAMETERS, rule="§1",
                               text="Planning with policy Order.",
                               values=(("lead_time", "3D"),))
    assert second.step == 2 and second.decision is Decision.MATCH
    assert second.date == date(2026, 1, 9) and (second.supply, second.demand) == ("PO1", "SO1")
    assert second.values == (("qty", 10.0), ("left", 0.0))
    assert second.value("qty") == 10.0


def test_a_trace_reads_like_a_tuple():
    trace = Trace(ROWS)
    assert trace[-1].step == 2
    assert trace[:1] == (trace[0],)
    assert list(reversed(trace)) == [trace[1], trace[0]]
    assert trace == tuple(trace) and trace == Trace(ROWS)
    assert trace != Trace(ROWS[:1]) and trace != ("not a trace",)
    assert trace.index(trace[1]) == 1 and trace[0] in trace
    assert hash(trace) == hash(Trace(ROWS))
    assert repr(trace) == "<Trace of 2 decisions>"


def test_an_empty_trace():
    assert len(Trace()) == 0 and list(Trace()) == [] and Trace() == ()


def test_events_are_built_once_and_only_when_read():
    trace = Trace(ROWS)
    assert trace._events is None               # nothing built by planning alone
    assert len(trace) == 2 and trace._events is None
    first = trace[0]
    assert trace[0] is first                   # built once, then kept


@pytest.mark.skipif(platform.python_implementation() != "CPython",
                    reason="what the cyclic collector tracks is a CPython detail")
def test_a_plans_trace_rows_leave_nothing_for_the_cyclic_collector():
    scenario = mrp_lab.load_scenario(ROOT / "scenarios" / "overflow-70-to-40-after.yaml")
    rows = mrp_lab.plan(scenario).trace._rows
    assert rows and all(type(row) is tuple for row in rows)
    gc.collect()
    plain = [row for row in rows if not any(isinstance(v, mrp_lab.DateFormula | Decision)
                                            for v in row)]
    assert len(plain) > len(rows) // 2
    assert not any(gc.is_tracked(row) for row in plain)
