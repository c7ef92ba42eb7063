"""The one percentile of the bench scripts, so that their figures compare."""

from __future__ import annotations

from collections.abc import Sequence


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile on the sorted values: index round(pct/100 * (n - 1)).

    ``pct`` is 0..100; p50 of an even count is the upper middle value. Raises ValueError on no
    values.
    """
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]
