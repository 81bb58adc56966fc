"""Regenerate the README's figure: plot_before_after of the overflow scenario, as a PNG.

    .venv/bin/python scripts/make_readme_figure.py
    .venv/bin/python scripts/make_readme_figure.py scenarios/other.yaml -o docs/img/other.png

Deterministic: the same scenario, engine and Matplotlib give the same bytes (no timestamp or
version in the PNG metadata; fonts are Matplotlib's bundled DejaVu Sans).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import mrp_lab
from mrp_lab.plots import plot_before_after

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SCENARIO = ROOT / "scenarios" / "overflow-70-to-40-after.yaml"
DEFAULT_OUTPUT = ROOT / "docs" / "img" / "overflow-70-to-40.png"


def make_figure(scenario_path: Path, output: Path, *, dpi: int = 110) -> Path:
    """Plan the scenario and write its before/after figure to ``output``."""
    result = mrp_lab.plan(mrp_lab.load_scenario(scenario_path))
    figure = plot_before_after(result)
    output.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(output, format="png", dpi=dpi, metadata={"Software": None},
                   facecolor="white")
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", type=Path, default=DEFAULT_SCENARIO,
                        help=f"scenario file (default: {DEFAULT_SCENARIO.relative_to(ROOT)})")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"PNG to write (default: {DEFAULT_OUTPUT.relative_to(ROOT)})")
    parser.add_argument("--dpi", type=int, default=110, help="resolution (default 110)")
    args = parser.parse_args(argv)
    try:
        written = make_figure(args.scenario, args.output, dpi=args.dpi)
    except mrp_lab.MrpLabError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
