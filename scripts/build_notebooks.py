"""Build the notebooks in notebooks/ from the Python source below, then execute them in place.

Every notebook is written here, cell by cell, so a change to a notebook is a reviewable diff of
this file, and any notebook can be rebuilt from scratch. Each one is executed with nbclient (the
``python3`` kernel of the interpreter running this script, working directory ``notebooks/``) and
saved WITH its outputs, which nbval then re-runs and compares in the test suite.

    .venv/bin/python scripts/build_notebooks.py              # build and execute every notebook
    .venv/bin/python scripts/build_notebooks.py 01 05        # only those whose name starts so
    .venv/bin/python scripts/build_notebooks.py --check      # exit 1 if a notebook is stale

``--check`` builds and executes the notebooks in memory and compares them with the files: a
notebook is stale when its cells differ from this script or when re-executing it would change a
VERDICT output. Nothing is written.

Outputs are kept deterministic so nbval can compare them: scenario files carry fixed dates, the
figures are drawn without pyplot at a fixed size and resolution, cell ids and widget model ids
are derived from the notebook name, and no timing metadata or widget state is stored.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
KERNEL = "python3"
TIMEOUT = 180                 # seconds per cell
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
VERDICT_TAG = "verdict"
WIDGET_TAG = "widget"

Cell = tuple[str, str, tuple[str, ...]]     # (cell type, source, tags)


def md(text: str) -> Cell:
    return ("markdown", dedent(text).strip("\n"), ())


def code(text: str, *tags: str) -> Cell:
    return ("code", dedent(text).strip("\n"), tags)


def verdict(text: str) -> Cell:
    """The one cell whose printed VERDICT lines compare the plan with the documented numbers."""
    return code(text, VERDICT_TAG)


def widget(text: str) -> Cell:
    """The last code cell: an interactive widget (not compared by nbval, except its repr)."""
    return code(text, WIDGET_TAG)


SETUP = code(r'''
    # Setup (the same in every notebook). Figures are drawn without pyplot, at a fixed size and
    # resolution; nothing below depends on the day you run it.
    %matplotlib inline
    import matplotlib
    import pandas as pd
    from IPython.display import Markdown, display
    from matplotlib.figure import Figure

    import mrp_lab
    from mrp_lab.plots import plot_before_after, plot_plan
    from mrp_lab.widgets import compare, explore

    matplotlib.rcParams.update({"figure.dpi": 80, "savefig.dpi": 80})
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.width", 250)

    # The planning-line columns a planner reads first (result.lines has a few more).
    COLUMNS = ["action", "supply", "due", "original_due", "qty", "original_qty",
               "starting_date", "ending_date", "warning", "reason"]


    def show_story(scenario):
        """The scenario's title, source and story, as its file tells them."""
        display(Markdown(f"### {scenario.title}\n\n*Source: {scenario.source}*\n\n{scenario.story}"))


    def by_due(result):
        """The planning lines (PlanLine objects) in due-date order."""
        return sorted(result.planning_lines, key=lambda line: (line.due, line.line_id))


    def bucket_checks(result):
        """The reorder-point test of every time bucket the engine checked (reference §5.3)."""
        return pd.DataFrame(
            [{"bucket": f"{e.value('bucket_start')} .. {e.value('bucket_end')}",
              "projected before": e.value("projected_before"), "supply in": e.value("supply_in"),
              "demand out": e.value("demand_out"), "projected": e.value("projected"),
              "crossed": e.value("crossed")}
             for e in result.trace if e.decision == mrp_lab.Decision.BUCKET])
''', "setup")


# --- 00 tour ---------------------------------------------------------------------------------

def tour() -> list[Cell]:
    return [
        md(r'''
        # A tour of mrp_lab

        **mrp_lab** re-implements the supply planning that Business Central runs for one item at
        one location under its four reordering policies: *Fixed Reorder Qty.*, *Maximum Qty.*,
        *Order* and *Lot-for-Lot*. You describe a situation (the item card's planning fields,
        what is on hand, the open sales and purchases, the planning period) and mrp_lab returns
        the planning lines Business Central would suggest, the projected inventory day by day,
        and a trace of every decision with the rule it applied.

        The notebooks retell Microsoft's design-details pages with numbers you can change:

        * *Design details: Handling reordering policies* (Business Central, 2024) and its NAV
          predecessor *Design Details: Handling Reordering Policies*;
        * *Design Details: Planning Parameters* (NAV);
        * *Design Details: Lot-for-Lot* (2017).

        Where a page and Business Central's code disagree, mrp_lab does what the code does and
        the notebook says so. Every notebook ends with a **VERDICT** cell that compares the
        computed plan with the documented numbers and fails when they differ; the test suite
        re-runs all notebooks (nbval), so the notebooks are regression tests as well as
        documentation.

        | notebook | the document's claim |
        | --- | --- |
        | `01-overflow-70-to-40` | a sale cut from 70 to 40 turns a purchase of 90 into 60 |
        | `02-emergency-supply-d` | supply D covers exactly what inventory can't |
        | `03-decrease-reminders` | how served demand reaches the projected inventory (Sa, Sb, Da) |
        | `04-time-bucket-reorder-cycle` | the reorder point is tested per time bucket |
        | `05-rescheduling-lot-accumulation-dampener` | the reorder period fields, Examples 1–4 |
        | `06`–`09` | the four reordering policies |
        | `10-order-modifiers-and-splitting` | maximum, minimum and multiple; splitting a need |
        | `11-safety-stock-and-safety-lead-time` | safety stock and safety lead time |
        '''),
        SETUP,
        md(r'''
        ## 1. A scenario is a file

        Each file in `../scenarios/` describes one item: its planning parameters, the planning
        period, inventory, open demand and supply, and the planning lines it expects. It also
        says where its numbers come from (`source`), what it shows (`what`), the situation in
        plain words (`story`) and a hand derivation citing the reference rules (`notes`).
        '''),
        code(r'''
        scenario = mrp_lab.load_scenario("../scenarios/overflow-70-to-40-before.yaml")
        show_story(scenario)
        '''),
        md(r'''
        ## 2. Plan it

        `mrp_lab.plan(scenario)` returns a `PlanResult`. Its `lines` are the planning lines, one
        suggestion each: the **action** (New, Change Qty., Reschedule, Resched. & Chg. Qty.,
        Cancel), the **supply** it changes (blank for New), the **due** date planning balanced
        against, the **starting** and **ending** dates of the order, the **warning**
        (Emergency, Exception, Attention) and, mrp_lab's addition, a plain-words **reason**.
        '''),
        code(r'''
        result = mrp_lab.plan(scenario)
        result.lines[COLUMNS]
        '''),
        md(r'''
        ## 3. Read the plot

        `plot_plan(result)` draws one plan on a matplotlib `Axes` (it returns the axes; `.figure`
        shows it); `plot_before_after(result)` draws the plan as it stands above the plan with
        the suggestions applied.

        | you see | it means |
        | --- | --- |
        | black step line | **projected inventory**: on hand + supply − demand so far |
        | wide light-grey band | **projected available inventory**: what planning may use |
        | grey ▼ arrows | demand, drawn down from the level of the day before |
        | black ▲ arrows | existing supply that planning leaves as it is |
        | blue hollow ▲, dashed shaft | **New** |
        | orange ◆ | **Change Qty.**; a faint dotted arrow shows the part that was cut off |
        | green ■ with a dashed sideways arrow | **Reschedule**, from the old date to the new one |
        | pink ⬟ | **Resched. & Chg. Qty.** |
        | red ✕ on a dotted "ghost" arrow | **Cancel** |
        | ★ / ✚ / ⬢ above an arrow | **Emergency** / **Exception** / **Attention** warning |
        | light-blue dashed line | reorder point |
        | black dash-dot line | maximum inventory |
        | grey dotted line | safety stock |
        | purple line | overflow level |
        | thin grey vertical lines | time-bucket boundaries (buckets start on the planning start) |

        The reorder point is tested against the projected inventory; the projected available
        inventory differs from it when on-hand stock may not be used (Include Inventory off).
        The note at each suggested arrow's tip reads "original → new". Colours are the
        Okabe–Ito palette, and every kind also has its own marker and line style, so a
        black-and-white print still tells them apart.
        '''),
        code(r'''
        plot_plan(result).figure
        '''),
        md(r'''
        ## 4. Why? The trace

        Every decision the engine takes is recorded once, with the section of the reference
        (`planning-engine.md`) it applies. `result.explain()` gives them as sentences;
        `result.trace` holds them as `TraceEvent`s whose `values` carry the numbers used, and
        `result.trace_table()` turns them into a DataFrame.
        '''),
        code(r'''
        print("\n".join(result.explain()[1:]))   # [0] lists every resolved planning parameter
        '''),
        code(r'''
        crossing = next(e for e in result.trace
                        if e.decision == mrp_lab.Decision.BUCKET and e.value("crossed"))
        crossing.rule, crossing.date, dict(crossing.values)
        '''),
        md(r'''
        ## 5. The timeline

        `result.timeline` has one row per date of the planning period: demand, supply before
        and after the suggestions, projected (available) inventory before and after, the start
        of the date's time bucket, and the levels the policy uses. Here are the dates on which
        something happens.
        '''),
        code(r'''
        timeline = result.timeline
        busy = (timeline.demand != 0) | (timeline.supply_before != 0) | (timeline.supply_after != 0)
        timeline.loc[busy, ["date", "demand", "supply_before", "supply_after",
                            "projected_inventory_before", "projected_inventory_after",
                            "bucket_start", "reorder_point", "maximum_inventory"]]
        '''),
        md(r'''
        ## 6. Your own scenario

        Three ways, from most to least typing:

        1. write a YAML file like the ones in `../scenarios/` and `mrp_lab.load_scenario(path)`
           it (`mrp_lab.load_scenarios(folder)` loads a whole folder);
        2. build one from a dict in the same format with `mrp_lab.Scenario.from_dict({...})`;
        3. derive a variant of an existing one with `scenario.replace(item={...})` (also
           `setup=`, `planning=`, `demand=`, `supply=`, `inventory=`).

        Scenarios are frozen; every new one is validated again, and a bad value raises a
        `ScenarioError` that says where, what it got and what it expected.
        '''),
        code(r'''
        mine = mrp_lab.Scenario.from_dict({
            "id": "my-first-scenario",
            "title": "Lot-for-Lot with a lot accumulation period of one week",
            "planning": {"start": "2026-01-05", "end": "2026-02-28"},
            "item": {"reordering_policy": "Lot-for-Lot", "lot_accumulation_period": "1W",
                     "lead_time_calculation": "2D"},
            "inventory": 10,
            "demand": [{"id": "SO1", "kind": "sales_order", "due": "2026-01-07", "qty": 25},
                       {"id": "SO2", "kind": "sales_order", "due": "2026-01-09", "qty": 15}],
        })
        mrp_lab.plan(mine).lines[COLUMNS]
        '''),
        md(r'''
        The first run of the overflow example again, with a maximum inventory of 150 instead of
        100: the gap to the maximum is now 140, and the item's maximum order quantity of 100
        splits it into two orders.
        '''),
        code(r'''
        bigger = scenario.replace(item={"maximum_inventory": 150})
        mrp_lab.plan(bigger).lines[COLUMNS]
        '''),
        code(r'''
        try:
            scenario.replace(item={"reorder_point": -5})
        except mrp_lab.ScenarioError as error:
            print(error)
        '''),
        md(r'''
        ## 7. From the command line

        The same from a shell, in the project folder:

        ```
        mrp-lab plan scenarios/overflow-70-to-40-before.yaml             # lines and reasons
        mrp-lab plan scenarios/overflow-70-to-40-before.yaml --explain   # ... and the trace
        mrp-lab plan scenarios/overflow-70-to-40-before.yaml --timeline  # ... and the inventory
        mrp-lab check scenarios/                   # every file against its expected lines
        ```

        `mrp-lab check` exits with 1 when a scenario's plan differs from its `expected` block.
        Inside a notebook the command's `main` function does the same:
        '''),
        code(r'''
        from mrp_lab.cli import main

        exit_code = main(["plan", "../scenarios/overflow-70-to-40-before.yaml"])
        '''),
        md(r'''
        ## 8. Verdict: every shipped scenario reproduces its expected lines

        Each scenario file's `expected` block was derived by hand from the reference, rule by
        rule. `result.compare()` matches it against the computed lines (`.ok`, `.report()`).
        '''),
        verdict(r'''
        scenarios = mrp_lab.load_scenarios("../scenarios")
        comparisons = {s.id: mrp_lab.plan(s).compare() for s in scenarios}
        checked = [sid for sid, c in comparisons.items() if c.has_expectations]
        failed = [sid for sid in checked if not comparisons[sid].ok]
        for sid in failed:
            print(sid, comparisons[sid].report(), sep="\n")
        assert checked and not failed, failed
        print(f"VERDICT tour: {len(checked) - len(failed)} of {len(checked)} shipped scenarios "
              f"reproduce their expected planning lines: OK")
        '''),
        md(r'''
        ## 9. Explore

        `explore(scenario)` opens the item card: the reordering policy, the fields that policy
        uses (the others are hidden, as Business Central ignores them, reference §1.3), the
        inventory and every order's quantity and due date. Each change plans again and redraws.
        Widgets need a running kernel: run the notebook to use it.
        '''),
        widget(r'''
        explore(scenario)
        '''),
    ]


# --- 01 overflow -----------------------------------------------------------------------------

def overflow() -> list[Cell]:
    return [
        md(r'''
        # Overflow: a sale drops from 70 to 40

        **Source:** *Design details: Handling reordering policies*, section *Stay below the
        overflow level* (its *Example scenario*, and *Calculating the overflow level*).

        **The claim.** A Maximum Qty. item (reorder point 50, the page's "Maximum Order
        Quantity" 100, inventory 80) has a sale of 70. At the end of the time bucket the
        projection is 10, so planning suggests a purchase of **90**, back up to 100. The
        purchase is placed; then the customer cuts the sale to **40**. Now the purchase would
        lift the projection to **130**. Planning does not simply keep the 30 extra: it suggests
        decreasing the purchase from **90 to 60** (−30), on a line with a warning
        ("the projected inventory 130 is higher than the overflow level 100 ...") and with
        *Accept Action Message* cleared. For Maximum Qty. the overflow level is the maximum
        inventory (plus the minimum order quantity).

        **What mrp_lab adds.**
        1. The page's "Maximum Order Quantity 100" only makes the example work as the
           **Maximum Inventory**: that is the level Maximum Qty. refills to and the default
           overflow level. A maximum order quantity alone is not enough; see section 4.
        2. Business Central writes the **end of the time bucket** into the warning, not the
           purchase's due date as the page says (reference §7.2, pitfall 13).
        '''),
        SETUP,
        md(r'''
        ## 1. First run: the sale of 70
        '''),
        code(r'''
        before = mrp_lab.load_scenario("../scenarios/overflow-70-to-40-before.yaml")
        show_story(before)
        '''),
        code(r'''
        before_result = mrp_lab.plan(before)
        before_result.lines[COLUMNS]
        '''),
        code(r'''
        plot_plan(before_result).figure
        '''),
        md(r'''
        ## 2. Second run: the sale is cut to 40

        The suggestion of the first run has become purchase order PO1 of 90, due on
        15 January; the sale is now 40. The top panel shows the plan as it stands (the week
        of the purchase ends at 130, above the overflow level); the bottom one with the
        suggestion applied.
        '''),
        code(r'''
        after = mrp_lab.load_scenario("../scenarios/overflow-70-to-40-after.yaml")
        show_story(after)
        '''),
        code(r'''
        after_result = mrp_lab.plan(after)
        after_result.lines[COLUMNS]
        '''),
        code(r'''
        plot_before_after(after_result)
        '''),
        md(r'''
        ## 3. Where the numbers come from

        Before balancing, the engine checks every time bucket that holds existing supply
        (reference §7.2): 80 on hand − 40 sold + 90 arriving = 130 in the week of 12–18
        January, 30 above the overflow level. It cuts the latest supply of that week by 30.
        Afterwards the usual reorder-point test runs: the first week ends at 40, below the
        reorder point 50, but the 60 already due within the lead time lift the projection
        above it, so no new order is needed (§5.4, "only necessary supply").
        '''),
        code(r'''
        for text in after_result.explain():
            if any(rule in text for rule in ("[§7.2]", "[§5.3]", "[§5.4]")):
                print(text)
        '''),
        md(r'''
        The same cut comes out when the overflow level is left **blank** on the item and the
        planning setup's *Blank Overflow Level* is *Allow Default Calculation*: the engine then
        derives maximum inventory + minimum order quantity = 100 + 0. With the setup's default,
        *Use Item/SKU Values Only*, a blank level means **no overflow handling**, and the extra
        30 stay (reference §7.1).
        '''),
        code(r'''
        default_level = mrp_lab.load_scenario("../scenarios/overflow-70-to-40-after-default-level.yaml")
        item_values_only = default_level.replace(setup={"blank_overflow_level": "use_item_values_only"})
        for name, variant in [("overflow level 100 on the item", after),
                              ("blank level, Allow Default Calculation", default_level),
                              ("blank level, Use Item/SKU Values Only", item_values_only)]:
            variant_result = mrp_lab.plan(variant)
            level = variant_result.trace[0].value("overflow_level")
            suggestions = "; ".join(f"{line.action.value} {line.supply} {line.original_qty:g} -> {line.qty:g}"
                                    for line in variant_result.planning_lines) or "no lines"
            print(f"{name:<42} overflow level {level:>5g}: {suggestions}")
        '''),
        md(r'''
        ## 4. "Maximum Order Quantity 100" on its own

        In Business Central the *Maximum Order Quantity* caps the size of each order; it is
        not a target. Take the first run and leave only that field: the item then has no
        maximum inventory. The pages (section *Maximum Quantity*) say planning would still
        bring the projected inventory up, to the reorder point in the NAV page, to "the
        reorder quantity" in the 2024 one. The code does neither: it logs a **planning error**
        for the item and suggests nothing at all (reference §5.4, §13).
        '''),
        code(r'''
        only_max_order = before.replace(item={"maximum_inventory": 0})
        only_max_order_result = mrp_lab.plan(only_max_order)
        print(len(only_max_order_result.planning_lines), "planning lines")
        print(*only_max_order_result.errors, sep="\n")
        '''),
        md(r'''
        ## 5. The date in the message

        The page says the message names the **due date** of the supply. The purchase is due on
        15 January, but the message says 18 January: the last day of the time bucket in which
        the overflow was found.
        '''),
        code(r'''
        cut = after_result.planning_lines[0]
        print("purchase due:", cut.due)
        print("message:     ", cut.message)
        print("accept action message:", cut.accept_action_message)
        '''),
        md(r'''
        ## Verdict
        '''),
        verdict(r'''
        first, = before_result.planning_lines
        assert (first.action, first.qty, first.warning) == ("New", 90, None)

        cut, = after_result.planning_lines
        assert (cut.action, cut.supply, cut.original_qty, cut.qty) == ("Change Qty.", "PO1", 90, 60)
        assert cut.warning == "Attention" and not cut.accept_action_message
        assert "projected inventory 130" in cut.message and "overflow level 100" in cut.message
        message_date = cut.message.rstrip(".").split()[-1]
        assert (message_date, cut.due.isoformat()) == ("2026-01-18", "2026-01-15")
        assert only_max_order_result.errors and not only_max_order_result.planning_lines

        print(f"VERDICT overflow, first run: New {first.qty:g} (documented +90): OK")
        print(f"VERDICT overflow, second run: purchase {cut.original_qty:g} -> {cut.qty:g} "
              f"(documented 60), warning {cut.warning} (documented Attention): OK")
        print(f"VERDICT overflow message: 130 above 100 on {message_date}, the bucket end "
              f"(documented: the due date, {cut.due}): OK")
        print(f"VERDICT maximum order quantity without maximum inventory: "
              f"{len(only_max_order_result.errors)} planning error, "
              f"{len(only_max_order_result.planning_lines)} lines: OK")
        '''),
        md(r'''
        ## Try it

        The second run as is, with the overflow level blank (so no overflow handling with the
        default setup), and with an overflow level of 120, which only needs a cut of 10.
        '''),
        widget(r'''
        compare(after, blank_overflow_level={"overflow_level": 0}, overflow_120={"overflow_level": 120})
        '''),
    ]


# --- 02 emergency supply D -------------------------------------------------------------------

def emergency() -> list[Cell]:
    return [
        md(r'''
        # Projected negative inventory: supply D

        **Source:** *Design details: Handling reordering policies*, section *Handling
        projected negative inventory*.

        **The claim.** When a future demand can't be served from the projected inventory,
        planning suggests a new supply order for **exactly the missing part**. Its size ignores
        the maximum inventory, the reorder quantity and the order modifiers (maximum, minimum,
        multiple). The page walks through it in nine steps: inventory **A** is below the
        reorder point, so a forward-scheduled order **C** refills to the maximum; demand **B**
        comes before C arrives, and the time bucket keeps C from moving in; new supply **D**
        covers the rest of B; D and C close, and the final check finds nothing more to do. The
        page calls D an **Emergency** order.

        **What mrp_lab adds** (reference §3.3, §5.5 E5, §8, §13).
        * In Business Central's code D carries the **Exception** warning ("The projected
          available inventory is below Safety Stock Quantity 0 ..."). **Emergency** is reserved
          for a shortage that already exists *at the planning start*, after netting everything
          dated before it; section 3 shows that case.
        * What keeps C from moving in is not the time bucket but the rescheduling period, which
          Business Central forces to 0D for reorder-point policies: their orders are never moved.
        * D ignores the minimum order quantity and the order multiple, but the code still caps
          it at the **maximum order quantity** (the page says all modifiers are ignored).
        '''),
        SETUP,
        md(r'''
        ## 1. Supply C and supply D
        '''),
        code(r'''
        scenario = mrp_lab.load_scenario("../scenarios/emergency-supply-d.yaml")
        show_story(scenario)
        '''),
        code(r'''
        result = mrp_lab.plan(scenario)
        result.lines[COLUMNS + ["message"]]
        '''),
        code(r'''
        plot_plan(result).figure
        '''),
        md(r'''
        ## 2. The page's nine steps in the trace

        | page | trace |
        | --- | --- |
        | 1–2. A (10) is below the reorder point; C = maximum − projected = 100 − 10 | §3.5, §5.4 |
        | 3. A is used up by B, which is not fully covered; C can't move in | §4.7, §4.2 |
        | 4. D covers the rest of B | §4.5 |
        | 5–6. B is closed (a reminder is posted), then D | §4.7, §5.2 |
        | 7. the reorder point is not crossed (C is due within the lead time) | §5.3 |
        | 8–9. C is closed; final check | §4.4, §5.3 |
        '''),
        code(r'''
        print("\n".join(result.explain()[1:]))
        '''),
        md(r'''
        D is exact whatever the order modifiers say, while C follows them. Give the item a
        minimum order quantity of 50 and an order multiple of 20: C becomes 100, D stays 15.
        A maximum order quantity of 10, on the other hand, does split D, into 10 + 5 (and C
        into nine orders of 10).
        '''),
        code(r'''
        for changes in ({"minimum_order_quantity": 50, "order_multiple": 20},
                        {"maximum_order_quantity": 10}):
            variant = mrp_lab.plan(scenario.replace(item=changes))
            orders = " + ".join(f"{line.qty:g}" for line in variant.planning_lines
                                if line.warning == mrp_lab.PlanningWarning.EXCEPTION)
            refill = " + ".join(f"{line.qty:g}" for line in variant.planning_lines if line.warning is None)
            print(f"{changes}: D = {orders}, C = {refill}")
        '''),
        md(r'''
        ## 3. The real Emergency: a shortage at the planning start

        Everything dated before the planning start is the *frozen zone*: planning adds it up
        but changes none of it. If the sum is negative, nothing inside the planning period can
        repair it, so Business Central suggests an **Emergency** order of exactly the shortage,
        due the day before the planning start (reference §3.2, §3.3).
        '''),
        code(r'''
        frozen = mrp_lab.load_scenario("../scenarios/e1-emergency-frozen-zone.yaml")
        show_story(frozen)
        '''),
        code(r'''
        frozen_result = mrp_lab.plan(frozen)
        frozen_result.lines[COLUMNS + ["message"]]
        '''),
        code(r'''
        plot_plan(frozen_result).figure
        '''),
        md(r'''
        ## Verdict
        '''),
        verdict(r'''
        d, = [line for line in result.planning_lines if line.due.isoformat() == "2026-01-07"]
        c, = [line for line in result.planning_lines if line is not d]
        shortage = scenario.demand[0].qty - scenario.inventory
        assert d.action == mrp_lab.ActionMessage.NEW and d.qty == shortage == 15
        assert d.warning == mrp_lab.PlanningWarning.EXCEPTION and "below Safety Stock Quantity 0" in d.message
        assert c.qty == 90 and c.starting_date.isoformat() == "2026-01-05" and c.warning is None

        e, = frozen_result.planning_lines
        assert (e.action, e.qty, e.due.isoformat()) == (mrp_lab.ActionMessage.NEW, 10, "2026-01-13")
        assert e.warning == mrp_lab.PlanningWarning.EMERGENCY

        print(f"VERDICT supply D: New {d.qty:g} due {d.due} = exactly the unmet part of B "
              f"(documented: the exact deficiency); C = {c.qty:g} refills to the maximum: OK")
        print(f"VERDICT supply D warning: {d.warning.value} (document: Emergency; "
              f"Business Central's code: Exception): OK")
        print(f"VERDICT shortage before the planning start: New {e.qty:g} due {e.due}, "
              f"warning {e.warning.value}: OK")
        '''),
        md(r'''
        ## Try it

        Move the sale B, change its quantity or the inventory, and watch D appear, grow or
        disappear (with the lead time, for example, at 0D C arrives in time for B).
        '''),
        widget(r'''
        explore(scenario)
        '''),
    ]


# --- 03 decrease reminders -------------------------------------------------------------------

def reminders() -> list[Cell]:
    return [
        md(r'''
        # Decrease reminders: how planning follows the projected inventory

        **Source:** *Design details: Handling reordering policies*, section *Monitoring the
        projected inventory level and the reorder point*, subsection *Determining the projected
        inventory level*.

        **The claim.** Serving a demand does not lower the projected inventory at once; it
        posts a **decrease reminder** (its date and quantity), and the reminders are worked in
        later, as planning moves along the timeline. The page's walkthrough: supply **Sa** of 4
        (fixed) covers demand **Da** of 3 (reminder −3); Sa closes with 1 to spare; the next
        supply **Sb** of 2 is closed because no demand is left, either **A** by cancelling it
        or **B** by leaving it. The final check applies the reminder: **A** 4 − 3 = **1**, and a
        forward-scheduled order starting on Da's date; **B** 6 − 3 = **3**, the reorder point
        is reached and a new order is created.

        **What mrp_lab adds** (reference §5.2, §5.3, §7.2, pitfall 1).
        * Under a reorder-point policy Business Central never cuts existing supply in ordinary
          balancing. The only thing that can cancel Sb is the **overflow check**, so outcome A
          is the item with an overflow level of 4, outcome B the same item without one.
        * The new order starts on the first day **after the time bucket** that contains Da
          (19 January), not on Da's date (14 January).
        * The walkthrough's "projected available inventory −1" has no counterpart here: mrp_lab
          models no reservations, so its projected available inventory equals the projected
          inventory. The engine does keep what is left of each supply; the trace says "1 of it
          is left" for Sa.
        '''),
        SETUP,
        md(r'''
        ## 1. The two outcomes
        '''),
        code(r'''
        outcome_a = mrp_lab.load_scenario("../scenarios/decrease-reminder-outcome-a.yaml")
        outcome_b = mrp_lab.load_scenario("../scenarios/decrease-reminder-outcome-b.yaml")
        show_story(outcome_a)
        '''),
        code(r'''
        result_a = mrp_lab.plan(outcome_a)
        result_b = mrp_lab.plan(outcome_b)
        result_a.lines[COLUMNS]
        '''),
        code(r'''
        result_b.lines[COLUMNS]
        '''),
        code(r'''
        figure = Figure(figsize=(14, 4.6), layout="constrained")
        ax_a, ax_b = figure.subplots(1, 2, sharey=True)
        plot_plan(result_a, ax_a, title="Outcome A: Sb cancelled (overflow level 4)", legend=False)
        plot_plan(result_b, ax_b, title="Outcome B: Sb left as it is")
        figure
        '''),
        md(r'''
        ## 2. Step by step: reminders, then bucket checks

        Each row is one trace event, in the order the engine took them. A reminder only
        *records* a change of the projected inventory; the change is applied when the bucket
        that holds its date is checked (reference §5.3), and only then is the reorder point
        tested. An "increase (part used so far)" reminder is replaced by the full one when its
        supply closes, so a bucket counts Sa once, as +4.
        '''),
        code(r'''
        def reminder_steps(result):
            """Reminder and bucket-check events: date, change of the projected inventory, level."""
            rows = []
            for e in result.trace:
                if e.decision == mrp_lab.Decision.REMINDER:
                    kind = "decrease" if e.value("qty") < 0 else "increase"
                    if "part used so far" in e.text:
                        kind += " (part used so far)"
                    rows.append({"step": e.step, "event": f"{kind} reminder: {e.demand or e.supply}",
                                 "date": e.date, "change": e.value("qty"),
                                 "projected": "", "crossed": ""})
                elif e.decision == mrp_lab.Decision.BUCKET:
                    start, end = e.value("bucket_start"), e.value("bucket_end")
                    before, after = e.value("projected_before"), e.value("projected")
                    rows.append({"step": e.step, "event": f"bucket {start} .. {end} checked",
                                 "date": e.date, "change": e.value("supply_in") - e.value("demand_out"),
                                 "projected": f"{before:g} -> {after:g}",
                                 "crossed": "yes" if e.value("crossed") else "no"})
            return pd.DataFrame(rows).set_index("step")


        reminder_steps(result_a)
        '''),
        code(r'''
        reminder_steps(result_b)
        '''),
        md(r'''
        The walkthrough's steps against these tables:

        | page | outcome A | outcome B |
        | --- | --- | --- |
        | 1–2. Sa covers Da, a decrease reminder −3 on Da's date | reminder −3 on 14 Jan | the same |
        | 3. Sa closes with 1 to spare, projected +4 | increase +4 on 6 Jan | the same |
        | 5. no decrease reminder before Sb | the week of 5–11 Jan holds none | the same |
        | 6. Sb closed: A cancelled, B left | cancelled earlier, by the overflow check | +2 on 8 Jan |
        | 8. the reminder is applied | 4 − 3 = 1 | 6 − 3 = 3 |
        | 9. a new order | crossed: New 3 from 19 Jan | reached: New 1 from 19 Jan |

        ## 3. Projected and projected available inventory

        The timeline on the dates where something happens, with the suggestions applied.
        Without reservations the two levels coincide.
        '''),
        code(r'''
        def busy_dates(result):
            t = result.timeline
            busy = (t.demand != 0) | (t.supply_before != 0) | (t.supply_after != 0)
            return t.loc[busy, ["date", "demand", "supply_before", "supply_after",
                                "projected_inventory_after", "projected_available_after"]]


        busy_dates(result_a)
        '''),
        code(r'''
        busy_dates(result_b)
        '''),
        md(r'''
        ## Verdict
        '''),
        verdict(r'''
        def crossing(result):
            """(level before, level after) of the one bucket that crossed the reorder point."""
            e, = [e for e in result.trace
                  if e.decision == mrp_lab.Decision.BUCKET and e.value("crossed")]
            return e.value("projected_before"), e.value("projected")

        (a_before, a_after), (b_before, b_after) = crossing(result_a), crossing(result_b)
        cancel_sb, new_a = result_a.planning_lines
        new_b, = result_b.planning_lines
        reorder_point = outcome_a.item.reorder_point
        assert (cancel_sb.supply, cancel_sb.action, cancel_sb.original_qty) == ("Sb", "Cancel", 2)
        assert cancel_sb.warning == "Attention"
        assert (a_before, a_after, b_before, b_after) == (4, 1, 6, 3)
        assert a_after < reorder_point == b_after
        assert (new_a.action, new_a.qty, str(new_a.starting_date)) == ("New", 3, "2026-01-19")
        assert (new_b.action, new_b.qty, str(new_b.starting_date)) == ("New", 1, "2026-01-19")

        print(f"VERDICT outcome A: Sb {cancel_sb.original_qty:g} -> Cancel ({cancel_sb.warning}); "
              f"{a_before:g} - 3 = {a_after:g} (documented 4 - 3 = 1); New {new_a.qty:g} starting "
              f"{new_a.starting_date} (document: on Da's date, 2026-01-14): OK")
        print(f"VERDICT outcome B: Sb kept; {b_before:g} - 3 = {b_after:g} reaches the reorder point "
              f"{reorder_point:g} (documented 6 - 3 = 3); New {new_b.qty:g} starting "
              f"{new_b.starting_date}: OK")
        '''),
        md(r'''
        ## Try it

        Outcome B as is; with an overflow level of 4 it becomes outcome A; with a reorder point
        of 2 the final 3 no longer reaches it and no order is needed.
        '''),
        widget(r'''
        compare(outcome_b, overflow_level_4={"overflow_level": 4}, reorder_point_2={"reorder_point": 2})
        '''),
    ]


# --- 04 time bucket --------------------------------------------------------------------------

def time_bucket() -> list[Cell]:
    return [
        md(r'''
        # The time bucket: a reorder cycle

        **Sources:** *Design details: Handling reordering policies*, sections *The role of the
        time bucket* and *Fixed Reorder Quantity › Calculated per time bucket*; *Design
        Details: Planning Parameters*, section *Define When to Reorder*.

        **The claim.** For the reorder-point policies (Fixed Reorder Qty., Maximum Qty.) the
        time bucket collects the demand of a period before the projected inventory is compared
        with the reorder point, like a buyer who checks the shelves once a week instead of after
        every sale. The buckets begin on the planning starting date. When the reorder point is
        reached or crossed within a bucket, the new order is forward-scheduled from the **first
        date after the end of that bucket**.

        **What mrp_lab adds** (reference §1.5, §5.3, pitfalls 2 and 3).
        * The test is made once per bucket, on the bucket's net change: a dip below the reorder
          point *inside* a bucket that ends above it goes unnoticed.
        * The bucket that contains the planning end date is never tested.
        * The time bucket is turned into a number of days **once**, counted from the system
          date (today): `1M` planned on 2 February is 28 days, and every bucket has that length.
        '''),
        SETUP,
        md(r'''
        ## 1. A weekly bucket
        '''),
        code(r'''
        scenario = mrp_lab.load_scenario("../scenarios/time-bucket-reorder-cycle.yaml")
        show_story(scenario)
        '''),
        code(r'''
        result = mrp_lab.plan(scenario)
        result.lines[COLUMNS]
        '''),
        code(r'''
        plot_plan(result).figure
        '''),
        md(r'''
        Each bucket the engine checked: the projection carried in, the supply and demand whose
        reminders fall in the bucket, the projection at its end, and whether the reorder point
        was crossed there. The check stops at the first crossing, orders, and carries on with
        the next bucket.
        '''),
        code(r'''
        bucket_checks(result)
        '''),
        md(r'''
        With a daily bucket the same sales are seen one day at a time: the reorder point is
        crossed on 15 January and the order starts on the 16th, three days earlier.
        '''),
        code(r'''
        daily = scenario.replace(item={"time_bucket": "1D"})
        daily_result = mrp_lab.plan(daily)
        daily_result.lines[COLUMNS]
        '''),
        md(r'''
        ## 2. One test per bucket, and none in the last one
        '''),
        code(r'''
        per_bucket = mrp_lab.load_scenario("../scenarios/pitfall-02-rop-test-per-bucket.yaml")
        show_story(per_bucket)
        per_bucket_result = mrp_lab.plan(per_bucket)
        per_bucket_result.lines[COLUMNS]
        '''),
        code(r'''
        bucket_checks(per_bucket_result)
        '''),
        code(r'''
        plot_plan(per_bucket_result).figure
        '''),
        md(r'''
        ## 3. "1M" is a fixed number of days
        '''),
        code(r'''
        monthly = mrp_lab.load_scenario("../scenarios/pitfall-03-two-date-models.yaml")
        show_story(monthly)
        monthly_result = mrp_lab.plan(monthly)
        print("bucket days:", monthly_result.trace[0].value("bucket_days"))
        bucket_checks(monthly_result)
        '''),
        md(r'''
        ## Verdict
        '''),
        verdict(r'''
        rop = scenario.item.reorder_point
        order, = result.planning_lines
        checks = bucket_checks(result)
        crossed = checks[checks.crossed]
        bucket, before, after = crossed.iloc[0][["bucket", "projected before", "projected"]]
        assert len(crossed) == 1 and bucket == "2026-01-12 .. 2026-01-18" and after <= rop < before
        assert (order.action, order.qty) == ("New", scenario.item.reorder_quantity)
        assert (str(order.starting_date), str(order.due)) == ("2026-01-19", "2026-01-26")
        daily_order, = daily_result.planning_lines
        assert str(daily_order.starting_date) == "2026-01-16"

        per_bucket_order, = per_bucket_result.planning_lines
        per_bucket_checks = bucket_checks(per_bucket_result)
        assert list(per_bucket_checks.projected) == [45, 15, 65]     # the last week is never checked
        assert str(per_bucket_order.starting_date) == "2026-01-19"
        monthly_order, = monthly_result.planning_lines
        assert monthly_result.trace[0].value("bucket_days") == 28
        assert str(monthly_order.starting_date) == "2026-03-30"

        print(f"VERDICT time bucket: crossed in the bucket {bucket} ({before:g} -> {after:g}, reorder "
              f"point {rop:g}); New {order.qty:g} starts {order.starting_date}, the first day after "
              f"the bucket (documented), due {order.due}: OK")
        print(f"VERDICT daily bucket: the same order would start {daily_order.starting_date}: OK")
        print(f"VERDICT one test per bucket: week 1 ends at {per_bucket_checks.projected[0]:g} although "
              f"it dips to 5; the bucket holding the planning end is not tested: OK")
        print(f"VERDICT 1M from 2026-02-02 = 28 days; the reorder starts {monthly_order.starting_date}: OK")
        '''),
        md(r'''
        ## Try it

        Change the time bucket (1D, 3D, 2W, ...) or move a sale across a bucket boundary.
        '''),
        widget(r'''
        explore(scenario)
        '''),
    ]


# --- 05 rescheduling, lot accumulation, dampener ---------------------------------------------

def periods() -> list[Cell]:
    examples = []
    for k, text in (
        (1, "The changed date is **outside the rescheduling period**: the existing supply is "
            "cancelled and a new supply covers the demand of one lot accumulation period."),
        (2, "The changed date is **within the rescheduling period**: the existing supply is "
            "rescheduled; demand outside the lot accumulation period gets a new supply."),
        (3, "A demand falls **within the dampener period** and the supply's quantity fits the "
            "demand of its lot accumulation period: the supply stays as it is; the next demand, "
            "uncovered, gets a new supply."),
        (4, "A demand falls **within the dampener period**; the supply stays on its date but is "
            "too small for the demand of its lot accumulation period: **Change Qty.**"),
    ):
        examples += [
            md(f"## Example {k}\n\n**The page:** {text}"),
            code(f'example_{k} = mrp_lab.load_scenario('
                 f'"../scenarios/dampener-lot-accumulation-example-{k}.yaml")\n'
                 f'show_story(example_{k})\n'
                 f'result_{k} = mrp_lab.plan(example_{k})\n'
                 f'result_{k}.lines[COLUMNS]'),
            code(f'plot_plan(result_{k}).figure'),
        ]
    return [
        md(r'''
        # Rescheduling period, lot accumulation period, dampener: Examples 1–4

        **Source:** *Design Details: Planning Parameters* (NAV), section *Optimize When and How
        Much to Reorder*: the fields *Rescheduling Period*, *Lot Accumulation Period* and
        *Dampener Period*, and its Examples 1 to 4.

        **The claim, in short.**
        * **Rescheduling period**: an existing order is rescheduled when the demand lies within
          one rescheduling period before or after it; farther away, it is cancelled and a new
          order is suggested.
        * **Lot accumulation period** (Lot-for-Lot): from the first supply need, all needs in the
          following lot accumulation period go into one supply, placed on the date of the first.
        * **Dampener period**: moving an existing order out by no more than one dampener period
          produces no action message.
        * These periods are measured from a supply's date; the time bucket from the planning
          start. Blank means 0D, except the dampener period, which then takes the planning
          setup's *Default Dampener Period*.

        The page's figures have arrows but no numbers; the scenarios put dates and quantities
        on them (all Lot-for-Lot, purchased, nothing on hand).

        **What mrp_lab adds** (reference §1.5, §1.6, §4.2, pitfalls 3, 4, 11, 12).
        * The comparisons are inclusive and applied to each order's own date: one week from
          12 January reaches 19 January.
        * The dampener period is **capped at the lot accumulation period**; with a blank lot
          accumulation period a Lot-for-Lot item is not dampened at all.
        * Fixed Reorder Qty. and Maximum Qty. ignore all three periods.
        * Without these periods, Lot-for-Lot does not use a purchase that arrives before its
          demand: it cancels it and orders anew (see Example 3's variant at the end).
        '''),
        SETUP,
        *examples,
        md(r'''
        ## How the engine decided

        Example by example, the trace events of the matching rules (reference §4.2–§4.5). In
        the plots above: the cancelled purchase of Example 1 is the red ghost on 26 January;
        in Example 2 the green arrow pulls the purchase in from 19 to 12 January; in Example 3
        the purchase stays black (unchanged); in Example 4 the orange diamond is the purchase
        grown from 20 to 30.
        '''),
        code(r'''
        results = [result_1, result_2, result_3, result_4]
        for k, result in enumerate(results, start=1):
            print(f"Example {k}")
            for text in result.explain()[2:]:
                if any(rule in text for rule in ("[§4.2]", "[§4.3]", "[§4.4]", "[§4.5]")):
                    print("  ", text)
        '''),
        md(r'''
        ## Verdict
        '''),
        verdict(r'''
        def summary(line):
            """A line as plain values: action, supply, original due, due, original qty, qty."""
            moved = line.original_due is not None and line.original_due != line.due
            original_due = str(line.original_due) if moved else None
            return (line.action.value, line.supply, original_due, str(line.due),
                    line.original_qty, line.qty)

        one, two, three, four = ([summary(line) for line in by_due(r)] for r in results)
        assert one == [("New", None, None, "2026-01-12", None, 30),
                       ("Cancel", "PO1", None, "2026-01-26", 30, 0)]
        assert two == [("Reschedule", "PO1", "2026-01-19", "2026-01-12", 30, 30),
                       ("New", None, None, "2026-01-26", None, 15)]
        assert three == [("New", None, None, "2026-01-23", None, 15)]
        assert four == [("Change Qty.", "PO1", None, "2026-01-12", 20, 30)]

        (new_1, cancel_1), (moved_2, new_2), (new_3,), (grown_4,) = (by_due(r) for r in results)
        print(f"VERDICT example 1: PO1 {cancel_1.original_qty:g} -> {cancel_1.action}; New "
              f"{new_1.qty:g} on {new_1.due} covers 20 + 10 in one lot accumulation period: OK")
        print(f"VERDICT example 2: {moved_2.action} PO1 {moved_2.original_due} -> {moved_2.due} "
              f"(qty {moved_2.qty:g} unchanged); New {new_2.qty:g} on {new_2.due}, outside the "
              f"lot accumulation period: OK")
        print(f"VERDICT example 3: PO1 unchanged (no line); New {new_3.qty:g} on {new_3.due}: OK")
        print(f"VERDICT example 4: PO1 stays on {grown_4.due}, {grown_4.action} "
              f"{grown_4.original_qty:g} -> {grown_4.qty:g}: OK")
        '''),
        md(r'''
        ## Try it

        Example 3 as is, without the dampener (the purchase 2 days before the sale is then
        cancelled and replaced, reference pitfall 11), and with a rescheduling period of one
        week (the purchase is moved out to the sale instead).
        '''),
        widget(r'''
        compare(example_3, no_dampener={"dampener_period": "0D"},
                no_dampener_rescheduling_1W={"dampener_period": "0D", "rescheduling_period": "1W"})
        '''),
    ]


# --- 06 Fixed Reorder Qty. ------------------------------------------------------------------

def fixed() -> list[Cell]:
    return [
        md(r'''
        # Fixed Reorder Qty.

        **Sources:** *Design details: Handling reordering policies*, section *Reordering
        policies › Fixed Reorder Quantity*; *Design Details: Planning Parameters*, section
        *Reordering Policies*.

        **The claim.**
        * When the reorder point is reached or crossed in a time bucket, planning suggests an
          order of the **reorder quantity**, forward-scheduled from the first day after the
          bucket. At a minimum the order is one reorder quantity; it can be larger to meet the
          demand or the desired inventory level.
        * **Only necessary supply**: no new order if supply already on its way brings the
          projected inventory to the reorder point within the lead time (in the code: above it).
        * Orders made to meet the reorder point are not changed afterwards by balancing; to
          phase an item out, review its orders by hand or switch it to Lot-for-Lot.
        * The order modifiers still apply (maximum: split; minimum: raise; multiple: round up).

        **What mrp_lab adds** (reference §5.4, pitfalls 1 and 6).
        * The order must lift the projection **strictly above** the reorder point: when one
          reorder quantity would only bring it back *to* the reorder point, planning orders
          as many whole reorder quantities as needed.
        * Supply already due within the lead time is then subtracted, so the result need not
          be a multiple of the reorder quantity (never less than one, though).
        * Existing orders are frozen: never moved in, never increased. A shortage before the
          reorder arrives becomes an **exception order** on the demand's date.
        '''),
        SETUP,
        md(r'''
        ## 1. Two reorders, the first of them two lots
        '''),
        code(r'''
        scenario = mrp_lab.load_scenario("../scenarios/policy-fixed-reorder-qty.yaml")
        show_story(scenario)
        '''),
        code(r'''
        result = mrp_lab.plan(scenario)
        result.lines[COLUMNS]
        '''),
        code(r'''
        plot_plan(result).figure
        '''),
        code(r'''
        bucket_checks(result)
        '''),
        md(r'''
        ## 2. Three lots, minus what is already on its way
        '''),
        code(r'''
        strict = mrp_lab.load_scenario("../scenarios/pitfall-06-strict-rop-exceedance.yaml")
        show_story(strict)
        strict_result = mrp_lab.plan(strict)
        strict_result.lines[COLUMNS]
        '''),
        md(r'''
        ## 3. An existing purchase is never pulled in
        '''),
        code(r'''
        frozen = mrp_lab.load_scenario(
            "../scenarios/pitfall-01-fixed-max-freeze-existing-supply.yaml")
        show_story(frozen)
        frozen_result = mrp_lab.plan(frozen)
        frozen_result.lines[COLUMNS]
        '''),
        code(r'''
        plot_plan(frozen_result).figure
        '''),
        md(r'''
        ## Verdict
        '''),
        verdict(r'''
        rop, lot = scenario.item.reorder_point, scenario.item.reorder_quantity
        first, second = by_due(result)
        checks = bucket_checks(result)
        low, later = checks[checks.crossed].projected
        assert (low, later) == (10, 25)
        assert low + lot == rop               # one lot would only bring it back to the reorder point
        assert (first.qty, str(first.starting_date)) == (2 * lot, "2026-01-12")
        assert (second.qty, str(second.starting_date)) == (lot, "2026-01-26")

        strict_lot, on_the_way = strict.item.reorder_quantity, strict.supply[0].qty
        lone, = strict_result.planning_lines
        assert lone.qty == 3 * strict_lot - on_the_way == 45
        exception, = frozen_result.planning_lines
        assert (exception.warning, exception.qty, str(exception.due)) == ("Exception", 20, "2026-01-14")
        assert all(line.supply is None for line in frozen_result.planning_lines)

        print(f"VERDICT Fixed Reorder Qty.: {low:g} + {lot:g} = {rop:g} only reaches the reorder "
              f"point, so New {first.qty:g} (2 lots) from {first.starting_date}; then {later:g} + "
              f"{lot:g} > {rop:g}, New {second.qty:g} from {second.starting_date}: OK")
        print(f"VERDICT strictly above: 3 lots of {strict_lot:g} minus {on_the_way:g} already due "
              f"= New {lone.qty:g}: OK")
        print(f"VERDICT frozen supply: the purchase is not pulled in; exception order of "
              f"{exception.qty:g} due {exception.due}: OK")
        '''),
        md(r'''
        ## Try it

        Change the reorder point or quantity, add a maximum order quantity, or move the sales.
        '''),
        widget(r'''
        explore(scenario)
        '''),
    ]


# --- 07 Maximum Qty. ------------------------------------------------------------------------

def maximum() -> list[Cell]:
    return [
        md(r'''
        # Maximum Qty.

        **Sources:** *Design details: Handling reordering policies*, section *Reordering
        policies › Maximum Quantity*; *Design Details: Planning Parameters*, section
        *Reordering Policies*.

        **The claim.**
        * Everything said about Fixed Reorder Qty. holds; only the quantity differs. When the
          reorder point is reached or crossed, the order fills the gap between the projected
          inventory at the end of the bucket and the **maximum inventory**, less the supply
          already ordered and due within the item's lead time.
        * With order modifiers the maximum inventory can be exceeded.
        * Without a maximum inventory, the pages add, planning still brings the projected
          inventory up: to the reorder point (NAV page) or "the reorder quantity" (2024 page).

        **What mrp_lab adds** (reference §5.4, §9, pitfall 5, §13).
        * A maximum inventory that is blank or not above the reorder point is a **planning
          error** in Business Central's code: the item gets no lines at all.
        '''),
        SETUP,
        md(r'''
        ## 1. Up to the maximum, minus what is on its way
        '''),
        code(r'''
        scenario = mrp_lab.load_scenario("../scenarios/policy-maximum-qty.yaml")
        show_story(scenario)
        '''),
        code(r'''
        result = mrp_lab.plan(scenario)
        result.lines[COLUMNS]
        '''),
        code(r'''
        plot_plan(result).figure
        '''),
        code(r'''
        for text in result.explain():
            if "[§5.3]" in text or "[§5.4]" in text:
                print(text)
        '''),
        md(r'''
        ## 2. An order multiple overshoots the maximum
        '''),
        code(r'''
        multiple = mrp_lab.load_scenario("../scenarios/e4-maximum-qty-multiple.yaml")
        show_story(multiple)
        multiple_result = mrp_lab.plan(multiple)
        multiple_result.lines[COLUMNS]
        '''),
        code(r'''
        plot_plan(multiple_result).figure
        '''),
        md(r'''
        ## 3. A maximum that is not above the reorder point
        '''),
        code(r'''
        broken = mrp_lab.load_scenario(
            "../scenarios/pitfall-05-max-inventory-not-above-reorder-point.yaml")
        show_story(broken)
        broken_result = mrp_lab.plan(broken)
        print(len(broken_result.planning_lines), "planning lines")
        print(*broken_result.errors, sep="\n")
        '''),
        md(r'''
        ## Verdict
        '''),
        verdict(r'''
        maximum_inventory, on_the_way = scenario.item.maximum_inventory, scenario.supply[0].qty
        order, = result.planning_lines
        checks = bucket_checks(result)
        low, = checks[checks.crossed].projected
        gap = maximum_inventory - low
        assert (gap, order.qty, str(order.starting_date)) == (95, gap - on_the_way, "2026-01-12")
        peak = result.timeline.projected_inventory_after.max()
        assert peak == maximum_inventory

        rounded, = multiple_result.planning_lines
        multiple_peak = multiple_result.timeline.projected_inventory_after.max()
        assert (rounded.qty, multiple_peak) == (100, 105)
        assert broken_result.errors and not broken_result.planning_lines

        print(f"VERDICT Maximum Qty.: gap {maximum_inventory:g} - {low:g} = {gap:g}, less "
              f"{on_the_way:g} already due within the lead time -> New {order.qty:g} from "
              f"{order.starting_date}; the projection peaks at {peak:g}: OK")
        print(f"VERDICT order multiple 10: 95 -> New {rounded.qty:g}; the projection reaches "
              f"{multiple_peak:g}, above the maximum (documented: modifiers may exceed it): OK")
        print(f"VERDICT maximum inventory = reorder point: {len(broken_result.errors)} planning "
              f"error, {len(broken_result.planning_lines)} lines (the pages: the projection is "
              f"still brought up): OK")
        '''),
        md(r'''
        ## Try it

        Change the maximum inventory (try one at or below the reorder point), add an order
        multiple, or move the purchase out of the lead time.
        '''),
        widget(r'''
        explore(scenario)
        '''),
    ]


# --- 08 Order -------------------------------------------------------------------------------

def order() -> list[Cell]:
    return [
        md(r'''
        # Order

        **Sources:** *Design details: Handling reordering policies*, section *Reordering
        policies › Order*; *Design Details: Planning Parameters*, section *Reordering Policies*.

        **The claim.** In a make-to-order setting each demand is covered by its own supply,
        linked to it order-to-order. The order quantity is that demand's quantity, and no
        planning parameters are considered. Linked orders dated before the planning start are
        planned too, so the pair stays in step.

        **What mrp_lab adds** (reference §1.3, §3.1, pitfall 4).
        * Before planning, Business Central sets the fields Order does not use to zero: time
          bucket, safety stock, reorder point, reorder and maximum quantities, **all order
          modifiers**, rescheduling and lot accumulation periods, overflow level. The item
          card still shows them, which is what surprises people.
        * *Include Inventory* is off for Order, so stock on hand is not used.
        * An existing purchase that is not linked to any demand is ordinary supply; with no
          unlinked demand to serve, it is cancelled.
        '''),
        SETUP,
        md(r'''
        ## 1. One supply per sales order
        '''),
        code(r'''
        scenario = mrp_lab.load_scenario("../scenarios/policy-order.yaml")
        show_story(scenario)
        '''),
        code(r'''
        result = mrp_lab.plan(scenario)
        result.lines[COLUMNS]
        '''),
        code(r'''
        plot_plan(result).figure
        '''),
        md(r'''
        ## 2. Every other planning field is ignored
        '''),
        code(r'''
        forced = mrp_lab.load_scenario("../scenarios/pitfall-04-policy-forcing.yaml")
        show_story(forced)
        forced_result = mrp_lab.plan(forced)
        forced_result.lines[COLUMNS]
        '''),
        code(r'''
        print(forced_result.explain()[0])   # the parameters the engine actually used
        '''),
        md(r'''
        ## Verdict
        '''),
        verdict(r'''
        new = [line for line in by_due(result) if line.action == "New"]
        cancel, = [line for line in result.planning_lines if line.action == "Cancel"]
        assert [(line.qty, line.due) for line in new] == [(d.qty, d.due) for d in scenario.demand]
        assert (cancel.supply, cancel.original_qty, cancel.qty) == ("PO1", 20, 0)
        assert all(line.warning is None for line in result.planning_lines)
        forced_new = [line.qty for line in by_due(forced_result)]
        assert forced_new == [7, 13]

        print(f"VERDICT Order: New {new[0].qty:g} on {new[0].due} and New {new[1].qty:g} on "
              f"{new[1].due}, exactly each sales order (minimum order quantity "
              f"{scenario.item.minimum_order_quantity:g} and the 10 on hand ignored); unlinked PO1 "
              f"{cancel.original_qty:g} -> Cancel: OK")
        print(f"VERDICT policy forcing: New {forced_new[0]:g} and New {forced_new[1]:g} despite "
              f"minimum 50, maximum 5, multiple 10 and safety stock 20 on the item card: OK")
        '''),
        md(r'''
        ## Try it

        The same item planned Order, Lot-for-Lot (which uses the stock on hand and applies the
        minimum order quantity of 50) and Maximum Qty.
        '''),
        widget(r'''
        compare(scenario, lot_for_lot={"reordering_policy": "Lot-for-Lot"},
                maximum_qty={"reordering_policy": "Maximum Qty.", "reorder_point": 10,
                             "maximum_inventory": 60, "time_bucket": "1W"})
        '''),
    ]


# --- 09 Lot-for-Lot -------------------------------------------------------------------------

def lot_for_lot() -> list[Cell]:
    return [
        md(r'''
        # Lot-for-Lot

        **Sources:** *Design details: Handling reordering policies*, section *Reordering
        policies › Lot-for-Lot*; *Design Details: Lot-for-Lot* (2017).

        **The claim.**
        * Lot-for-Lot only reacts to demand (including forecast and blanket orders); inventory
          is accepted but avoided. It uses stock on hand and bundles the demand of a **time
          bucket** into one supply.
        * The time bucket also limits rescheduling: supply within it is moved in or out to the
          demand; earlier supply builds stock and should be cancelled; for later supply a new
          order is created.
        * The lot accumulation period gathers the demand from the first demand's date into one
          order on that date; demand beyond it is not covered by that order.
        * Safety stock, dampener and the order modifiers apply.

        **What mrp_lab adds** (reference §1.3, §4.2–§4.6, pitfalls 4 and 11, §13).
        * Business Central's code sets the time bucket to **0D** for Lot-for-Lot. Bundling is
          done by the **lot accumulation period** and the window for moving supply by the
          **rescheduling period**; the time bucket plays no part.
        * With neither period set, a purchase that comes before its demand is cancelled, not
          used, and one that comes after it leads to a new order, after which it is cancelled.
        '''),
        SETUP,
        md(r'''
        ## 1. Inventory first, then lots of one week
        '''),
        code(r'''
        scenario = mrp_lab.load_scenario("../scenarios/policy-lot-for-lot.yaml")
        show_story(scenario)
        '''),
        code(r'''
        result = mrp_lab.plan(scenario)
        result.lines[COLUMNS]
        '''),
        code(r'''
        plot_plan(result).figure
        '''),
        md(r'''
        The item's weekly time bucket changes nothing; the engine's parameters show it forced
        to 0D:
        '''),
        code(r'''
        parameters = result.trace[0]
        print("time bucket:", parameters.value("time_bucket"),
              "| lot accumulation period:", parameters.value("lot_accumulation_period"))
        '''),
        md(r'''
        ## 2. Pulled in, bundled, cut (reference example E2)
        '''),
        code(r'''
        bundled = mrp_lab.load_scenario("../scenarios/e2-lot-for-lot-reschedule-and-cut.yaml")
        show_story(bundled)
        bundled_result = mrp_lab.plan(bundled)
        bundled_result.lines[COLUMNS]
        '''),
        code(r'''
        plot_plan(bundled_result).figure
        '''),
        md(r'''
        ## 3. Too early, too late: both cancelled
        '''),
        code(r'''
        early_late = mrp_lab.load_scenario("../scenarios/pitfall-11-lot-for-lot-cancels-early-supply.yaml")
        show_story(early_late)
        early_late_result = mrp_lab.plan(early_late)
        early_late_result.lines[COLUMNS]
        '''),
        md(r'''
        ## Verdict
        '''),
        verdict(r'''
        first, second = by_due(result)
        lots = [(line.action.value, line.qty, str(line.due)) for line in (first, second)]
        assert lots == [("New", 20, "2026-01-06"), ("New", 20, "2026-01-15")]
        time_bucket = result.trace[0].value("time_bucket")
        assert (scenario.item.time_bucket.count, time_bucket) == (1, "0D")

        moved, new = by_due(bundled_result)
        assert (moved.supply, moved.action) == ("P", "Resched. & Chg. Qty.")
        assert (str(moved.original_due), str(moved.due), moved.original_qty, moved.qty) == (
            "2026-01-14", "2026-01-07", 30, 25)
        assert (new.action, new.qty, str(new.due)) == ("New", 5, "2026-01-18")

        early_late_lines = [(line.action.value, line.supply, line.qty) for line in by_due(early_late_result)]
        assert early_late_lines == [("Cancel", "PO_EARLY", 0), ("New", None, 30), ("Cancel", "PO_LATE", 0)]

        print(f"VERDICT Lot-for-Lot: the 5 on hand go to the first sale; New {first.qty:g} on "
              f"{first.due} bundles 7 + 13 within the lot accumulation period; New {second.qty:g} "
              f"on {second.due} (14 rounded up to the multiple 10): OK")
        print(f"VERDICT time bucket 1W on the item, {time_bucket} in the engine (document: demand "
              f"bundled per time bucket, which per calendar week would give 10 and 30): OK")
        print(f"VERDICT E2: P rescheduled {moved.original_due} -> {moved.due} and cut "
              f"{moved.original_qty:g} -> {moved.qty:g}; New {new.qty:g} on {new.due}: OK")
        print(f"VERDICT early and late supply: {early_late_lines[0][1]} and {early_late_lines[2][1]} "
              f"cancelled, New {early_late_lines[1][2]:g} on the sale date: OK")
        '''),
        md(r'''
        ## Try it

        Change the lot accumulation period (blank, 3D, 2W), the order multiple, or give the
        item a safety stock.
        '''),
        widget(r'''
        explore(scenario)
        '''),
    ]


# --- 10 order modifiers ---------------------------------------------------------------------

def modifiers() -> list[Cell]:
    return [
        md(r'''
        # Order modifiers and splitting

        **Sources:** *Design Details: Planning Parameters*, section *Modify the Supply Orders*;
        *Design details: Handling reordering policies*, sections on combining the policies
        with order modifiers.

        **The claim.** Once the quantity of a suggestion is known, the modifiers adjust it in a
        fixed order: decreased to the **maximum order quantity** if it exceeds it, then
        increased to the **minimum order quantity** if below it, then rounded up to the **order
        multiple**. What remains of the need goes through the same steps, order after order,
        until all of it is covered.

        **What mrp_lab adds** (reference §9, pitfall 7).
        * The multiple is applied last, so it can push an order **above** the maximum.
        * The modifiers also apply when planning **reduces** an existing order: a purchase that
          should shrink to 37 may have to stay at 60.
        * They are skipped for emergency orders, for the Order policy (reference §1.3) and for
          exception orders, which are still capped at the maximum order quantity (see the
          notebook on supply D).
        '''),
        SETUP,
        md(r'''
        ## 1. A need of 230: maximum 100, minimum 30, multiple 25
        '''),
        code(r'''
        scenario = mrp_lab.load_scenario("../scenarios/e7-order-modifier-split.yaml")
        show_story(scenario)
        '''),
        code(r'''
        result = mrp_lab.plan(scenario)
        result.lines[COLUMNS]
        '''),
        code(r'''
        plot_plan(result).figure
        '''),
        md(r'''
        The same item for other needs: the sale is replaced in each run.
        '''),
        code(r'''
        for need in (20, 30, 95, 100, 230, 260):
            sale = {"id": "SO1", "kind": "sales_order", "due": "2026-01-07", "qty": need}
            orders = [line.qty for line in mrp_lab.plan(scenario.replace(demand=[sale])).planning_lines]
            print(f"need {need:>3}: {' + '.join(f'{q:g}' for q in orders):<16} = {sum(orders):>3g}")
        '''),
        md(r'''
        ## 2. Modifiers on a reduction
        '''),
        code(r'''
        reduction = mrp_lab.load_scenario("../scenarios/pitfall-07-order-modifiers.yaml")
        show_story(reduction)
        reduction_result = mrp_lab.plan(reduction)
        reduction_result.lines[COLUMNS]
        '''),
        code(r'''
        plot_plan(reduction_result).figure
        '''),
        md(r'''
        ## Verdict
        '''),
        verdict(r'''
        item = scenario.item
        split = sorted((line.qty for line in result.planning_lines), reverse=True)
        assert split == [100, 100, 50]
        assert all(str(line.due) == "2026-01-07" for line in result.planning_lines)
        cut, new = by_due(reduction_result)
        assert (cut.action, cut.supply, cut.original_qty, cut.qty) == ("Change Qty.", "PO1", 100, 60)
        assert (new.action, new.qty, str(new.due)) == ("New", 60, "2026-01-28")

        print(f"VERDICT modifiers: need 230 with maximum {item.maximum_order_quantity:g}, minimum "
              f"{item.minimum_order_quantity:g}, multiple {item.order_multiple:g} -> "
              f"{' + '.join(f'{q:g}' for q in split)} = {sum(split):g}: OK")
        print(f"VERDICT reduction: PO1 {cut.original_qty:g} -> {cut.qty:g} (37 raised to the "
              f"minimum 50, then to the multiple 20); New {new.qty:g} for the later sale: OK")
        '''),
        md(r'''
        ## Try it

        Change the three modifiers and the sale's quantity.
        '''),
        widget(r'''
        explore(scenario)
        '''),
    ]


# --- 11 safety stock and safety lead time ---------------------------------------------------

def safety() -> list[Cell]:
    return [
        md(r'''
        # Safety stock and safety lead time

        **Sources:** *Design Details: Planning Parameters*, sections *Define When to Reorder*
        and *Define How Much to Reorder*; *Design details: Handling reordering policies*,
        section *Projected available inventory*.

        **The claim.**
        * **Safety stock** is kept available for unexpected demand; planning watches it on the
          projected *available* inventory. When that falls below the safety stock, a
          backward-scheduled order at least refills it.
        * A **safety lead time** makes the proposal arrive in the period *before* the date it is
          needed. The page recommends a default of at least one day, because the due date of a
          demand is known but not its time of day.

        **What mrp_lab adds** (reference §2.7, §3.4, §6, pitfalls 8 and 9).
        * Safety stock is not one offset at the planning start: Business Central adds a
          safety-stock need on the planning start and on **every date with demand**, after that
          day's demand. Each such date ends at the safety stock.
        * Under Lot-for-Lot these refills are normal orders; under Fixed/Maximum Qty. they are
          exception orders.
        * For a **backward-scheduled** line (from a demand) the safety lead time moves the
          **ending date** (the planned receipt) earlier and leaves the **due date**, the one
          balanced against the demand, as it is. For a **forward-scheduled** reorder-point
          order it is added after the lead time, so its due date moves **later**.
        '''),
        SETUP,
        md(r'''
        ## 1. Safety stock on every demand date
        '''),
        code(r'''
        scenario = mrp_lab.load_scenario("../scenarios/pitfall-09-safety-stock.yaml")
        show_story(scenario)
        '''),
        code(r'''
        result = mrp_lab.plan(scenario)
        result.lines[COLUMNS]
        '''),
        code(r'''
        plot_plan(result).figure
        '''),
        code(r'''
        timeline = result.timeline
        timeline.loc[timeline.demand != 0, ["date", "demand", "supply_after", "safety_stock",
                                            "projected_inventory_after", "projected_available_after"]]
        '''),
        md(r'''
        ## 2. Safety stock at the planning start
        '''),
        code(r'''
        start = mrp_lab.load_scenario("../scenarios/pitfall-08-frozen-zone.yaml")
        show_story(start)
        start_result = mrp_lab.plan(start)
        start_result.lines[COLUMNS]
        '''),
        md(r'''
        ## 3. Safety lead time: a variant made in code

        The same safety-stock item, given a safety lead time of 2 days (and, for the second
        variant, a lead time of 3 days). No scenario file needed: `scenario.replace` builds and
        validates the variant.
        '''),
        code(r'''
        with_slt = scenario.replace(item={"safety_lead_time": "2D"})
        with_slt_and_lt = with_slt.replace(item={"lead_time_calculation": "3D"})
        rows = []
        for name, variant in [("as is", scenario), ("safety lead time 2D", with_slt),
                              ("... and lead time 3D", with_slt_and_lt)]:
            for line in by_due(mrp_lab.plan(variant)):
                rows.append({"variant": name, "qty": line.qty, "due": line.due,
                             "ending": line.ending_date, "starting": line.starting_date,
                             "warning": line.warning or ""})
        pd.DataFrame(rows)
        '''),
        md(r'''
        A forward-scheduled reorder-point order (reference example E3, Fixed Reorder Qty.)
        with the same safety lead time: it still starts the day after the bucket and its
        ending date is still start + lead time, but its due date, when the engine counts it as
        available, moves 2 days later.
        '''),
        code(r'''
        reorder = mrp_lab.load_scenario("../scenarios/e3-fixed-reorder-qty.yaml")
        reorder_slt = reorder.replace(item={"safety_lead_time": "2D"})
        for name, variant in [("as is", reorder), ("safety lead time 2D", reorder_slt)]:
            line, = mrp_lab.plan(variant).planning_lines
            print(f"{name:<20} New {line.qty:g}: starting {line.starting_date}, "
                  f"ending {line.ending_date}, due {line.due}")
        '''),
        md(r'''
        ## Verdict
        '''),
        verdict(r'''
        safety_stock = scenario.item.safety_stock_quantity
        refills = [(line.qty, str(line.due), line.warning) for line in by_due(result)]
        assert refills == [(10, "2026-01-07", None), (25, "2026-01-14", None)]
        ends = list(timeline.loc[timeline.demand != 0, "projected_available_after"])
        assert ends == [safety_stock, safety_stock]
        emergency, = start_result.planning_lines
        assert (emergency.warning, emergency.qty, str(emergency.due)) == ("Emergency", 20, "2026-01-04")

        plain, shifted = by_due(result), by_due(mrp_lab.plan(with_slt))
        assert [line.due for line in shifted] == [line.due for line in plain]
        early = [(p.ending_date - s.ending_date).days for p, s in zip(plain, shifted, strict=True)]
        assert early == [2, 2]
        e3_plain, = mrp_lab.plan(reorder).planning_lines
        e3_slt, = mrp_lab.plan(reorder_slt).planning_lines
        assert (e3_slt.starting_date, e3_slt.ending_date) == (e3_plain.starting_date, e3_plain.ending_date)
        assert (e3_slt.due - e3_plain.due).days == 2

        print(f"VERDICT safety stock {safety_stock:g}: New {refills[0][0]:g} on {refills[0][1]} and "
              f"New {refills[1][0]:g} on {refills[1][1]}; both demand dates end at {ends[0]:g}: OK")
        print(f"VERDICT safety stock at the start: emergency {emergency.qty:g} due {emergency.due}; "
              f"the purchase due on the planning start meets the safety stock 25: OK")
        print(f"VERDICT safety lead time 2D, backward: due dates {shifted[0].due}, {shifted[1].due} "
              f"unchanged; ending dates {shifted[0].ending_date}, {shifted[1].ending_date} "
              f"(2 days earlier): OK")
        print(f"VERDICT safety lead time 2D, forward reorder order: starting {e3_slt.starting_date} "
              f"and ending {e3_slt.ending_date} unchanged; due {e3_plain.due} -> {e3_slt.due}: OK")
        '''),
        md(r'''
        ## Try it

        Change the safety stock, switch the policy to Maximum Qty. (the refills become
        exception orders), or set a safety lead time and a lead time.
        '''),
        widget(r'''
        explore(scenario)
        '''),
    ]


# --- building --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Spec:
    name: str                            # file name without .ipynb
    cells: Callable[[], list[Cell]]

    @property
    def path(self) -> Path:
        return NOTEBOOK_DIR / f"{self.name}.ipynb"


NOTEBOOKS: tuple[Spec, ...] = (
    Spec("00-tour", tour),
    Spec("01-overflow-70-to-40", overflow),
    Spec("02-emergency-supply-d", emergency),
    Spec("03-decrease-reminders", reminders),
    Spec("04-time-bucket-reorder-cycle", time_bucket),
    Spec("05-rescheduling-lot-accumulation-dampener", periods),
    Spec("06-policy-fixed-reorder-qty", fixed),
    Spec("07-policy-maximum-qty", maximum),
    Spec("08-policy-order", order),
    Spec("09-policy-lot-for-lot", lot_for_lot),
    Spec("10-order-modifiers-and-splitting", modifiers),
    Spec("11-safety-stock-and-safety-lead-time", safety),
)


def build(spec: Spec) -> nbformat.NotebookNode:
    """The notebook's cells from this script, without outputs; ids derived from its name."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": KERNEL, "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    }
    for index, (kind, source, tags) in enumerate(spec.cells()):
        metadata = {"tags": list(tags)} if tags else {}
        cell = (nbformat.v4.new_markdown_cell(source, metadata=metadata) if kind == "markdown"
                else nbformat.v4.new_code_cell(source, metadata=metadata))
        cell.id = f"{spec.name[:2]}-{index:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


class OutputError(Exception):
    """A notebook wrote to stderr: its outputs would not be reproducible."""


def execute(spec: Spec, nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run every cell (cwd notebooks/), then make the outputs reproducible: widget model ids
    derived from the notebook name instead of random ones. Fails on an error or stderr output."""
    NotebookClient(nb, kernel_name=KERNEL, timeout=TIMEOUT, record_timing=False,
                   store_widget_state=False, allow_errors=False,
                   resources={"metadata": {"path": str(NOTEBOOK_DIR)}}).execute()
    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        for k, output in enumerate(cell.get("outputs", [])):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                raise OutputError(f"{spec.name}, cell {index}: output on stderr:\n{output['text']}")
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is not None:
                view["model_id"] = uuid.uuid5(uuid.NAMESPACE_URL, f"mrp_lab/{spec.name}/{index}/{k}").hex
    return nb


def verdict_outputs(nb: nbformat.NotebookNode) -> list[str]:
    """The printed text of the cells tagged ``verdict``."""
    return ["".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
            for cell in nb.cells if VERDICT_TAG in cell.get("metadata", {}).get("tags", [])]


def sources(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    return [(cell.cell_type, cell.source) for cell in nb.cells]


def _build_one(name: str, check: bool) -> tuple[str, list[str], str]:
    """Build and execute one notebook; write it, or (check) compare it with the file.
    Returns (name, problems, verdict text)."""
    spec = next(s for s in NOTEBOOKS if s.name == name)
    for attempt in (1, 2):
        try:
            fresh = execute(spec, build(spec))
            break
        except (CellExecutionError, OutputError) as error:      # the notebook's own fault
            return name, [f"execution failed (nothing written):\n{error}"], ""
        except Exception as error:     # kernel start-up trouble (e.g. a port taken): once more
            if attempt == 2:
                return name, [f"the kernel failed twice (nothing written): {error!r}"], ""
    verdicts = "".join(verdict_outputs(fresh))
    if not check:
        nbformat.write(fresh, spec.path)
        return name, [], verdicts
    if not spec.path.exists():
        return name, ["missing: run scripts/build_notebooks.py"], verdicts
    stored = nbformat.read(spec.path, as_version=4)
    problems = []
    if sources(stored) != sources(fresh):
        problems.append("its cells differ from scripts/build_notebooks.py")
    if verdict_outputs(stored) != verdict_outputs(fresh):
        problems.append("re-executing changes its VERDICT output:\n  stored: "
                        + "".join(verdict_outputs(stored)).replace("\n", "\n          ")
                        + "\n  now:    " + verdicts.replace("\n", "\n          "))
    return name, problems, verdicts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="build only the notebooks whose name starts with NAME (e.g. 01)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a notebook is stale (cells or VERDICT output)")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed in parallel (default 2)")
    args = parser.parse_args(argv)

    chosen = [s.name for s in NOTEBOOKS if not args.names or any(s.name.startswith(n) for n in args.names)]
    if not chosen:
        parser.error(f"no notebook matches {args.names}")
    NOTEBOOK_DIR.mkdir(exist_ok=True)     # also the kernels' working directory
    stale = 0
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(_build_one, name, args.check) for name in chosen]
        for future in futures:
            name, problems, verdicts = future.result()
            if problems:
                stale += 1
                print(f"{'STALE' if args.check else 'FAILED'} {name}: " + "\n      ".join(problems))
            else:
                print(f"{'ok   ' if args.check else 'built'} {name}")
                print("      " + verdicts.strip().replace("\n", "\n      "))
    if args.check:
        print(f"{len(chosen) - stale} of {len(chosen)} notebooks up to date")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
