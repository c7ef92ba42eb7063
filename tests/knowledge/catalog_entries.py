"""A minimal valid catalog entry, changed one field at a time by the loader's tests."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any


def minimal_entry(
    sources: Sequence[str], *, forms: Sequence[str] = ("9465",), **changes: Any
) -> dict[str, Any]:
    """Notice CP999 with every required field sourced by ``sources``, then ``changes``."""
    src = list(sources)
    entry: dict[str, Any] = {
        "code": "CP999",
        "title": "Test notice",
        "audience": "individual",
        "stage": "balance_due",
        "meaning": {"text": "m", "sources": src},
        "deadline": {"rule": "printed", "text": "t", "sources": src},
        "if_ignored": {"text": "i", "sources": src},
        "routes": {"pay": {"next_steps": ["Pay."], "forms": list(forms), "sources": src}},
    }
    entry.update(copy.deepcopy(changes))
    return entry
