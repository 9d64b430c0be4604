"""One printed line per benchmark figure: the figure, its target and how it compares.

Shared by benchmarks/run.py and the benchmarks it runs (benchmarks/grid.py), so that they
need not import each other."""

from __future__ import annotations


def report(name: str, value: float, unit: str, target: float | None = None, **extra) -> dict:
    verdict = "" if target is None else ("  OK" if value <= target else "  OVER TARGET")
    target_text = "" if target is None else f" (target <= {target:g} {unit})"
    details = "".join(f", {k} {v}" for k, v in extra.items())
    print(f"{name}: {value:,.1f} {unit}{target_text}{details}{verdict}")
    return {"name": name, "value": round(value, 1), "unit": unit, "target": target, **extra}
