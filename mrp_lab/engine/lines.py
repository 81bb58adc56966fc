"""Planning lines from the engine's finished supply records (reference §10, §11)."""

from __future__ import annotations

from ..model import PlanningWarning, Scenario
from ..result import PlanLine
from .records import EPS, Record

SEVERITY = {PlanningWarning.EMERGENCY.value: 0, PlanningWarning.EXCEPTION.value: 1,
            PlanningWarning.ATTENTION.value: 2}
ORDER_TYPE = {"purchase_order": "Purchase Order", "production_order": "Production Order",
              "transfer_order": "Transfer Order", "assembly_order": "Assembly Order"}


def build_lines(records: list[Record], scenario: Scenario, planner) -> tuple[PlanLine, ...]:
    """One line per supply whose action is not blank; a New line that ended at 0 is dropped."""
    sources = {s.id: s for s in scenario.supply}
    work_date = planner.p.work_date
    lines = []
    for r in records:
        action = r.action
        if action is None or (r.is_new and r.remaining <= EPS):
            continue
        source = sources.get(r.key) if not r.is_new else None
        if r.forward and r.starting_date and r.ending_date:
            starting, ending = r.starting_date, r.ending_date
        else:
            starting, ending = planner.backward_dates(r.due)
        warnings = list(r.warnings)
        # Only dates planning computed can be "before the work date"; an existing order whose
        # quantity alone changes keeps the dates of its own document, which a scenario lacks.
        if (r.is_new or r.rescheduled) and starting < work_date:
            warnings.append((PlanningWarning.ATTENTION.value,
                             f"Attention: The Starting Date {starting.isoformat()} is before the "
                             f"work date {work_date.isoformat()}."))
        if source is not None and source.released:
            warnings.append((PlanningWarning.ATTENTION.value,
                             f"Attention: The Status of {ORDER_TYPE.get(r.kind, r.kind)} "
                             f"{source.id} is Released."))
        warning = min((w for w, _ in warnings), key=SEVERITY.__getitem__, default=None)
        reason = "; then ".join(r.reasons) if r.reasons else _fallback_reason(r)
        lines.append(PlanLine(
            line_id=r.key, action=action, supply=source.id if source else None, due=r.due,
            original_due=source.due if source else None, qty=round(r.remaining, 5),
            original_qty=source.qty if source else None, starting_date=starting,
            ending_date=ending, warning=PlanningWarning(warning) if warning else None,
            message=" ".join(text for _, text in sorted(warnings, key=lambda w: SEVERITY[w[0]])),
            reason=reason[:1].upper() + reason[1:] + ".", accept_action_message=not warnings,
            supply_kind=r.kind, demand=r.serves))
    lines.sort(key=lambda line: (line.due, line.line_id))
    return tuple(lines)


def _fallback_reason(r: Record) -> str:  # pragma: no cover - every change records a reason
    return f"{r.key} was changed by planning"
