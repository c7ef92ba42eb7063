"""Spans the detectors find, (start, end, kind) in normalized coordinates, and the disjoint
stretches they cover."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

Span = tuple[int, int, str]


def merged(spans: Iterable[tuple[int, int, Any]]) -> tuple[list[int], list[int]]:
    """The starts and ends of the disjoint stretches the spans cover, in order."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end, _ in sorted(spans, key=lambda span: (span[0], span[1])):
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def overlaps(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """Whether start..end overlaps one of the disjoint, ordered stretches."""
    index = bisect_left(starts, end) - 1
    return index >= 0 and ends[index] > start
