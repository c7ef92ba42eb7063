"""The domain as the tests read it: every file of ``domain/`` merged (Rasa merges them alike)."""

from __future__ import annotations

from typing import Any

import yaml

from noticebot.settings import PROJECT_ROOT

DOMAIN_DIR = PROJECT_ROOT / "domain"


def load_domain() -> dict[str, Any]:
    """``domain/*.yml`` as one mapping: lists joined, mappings merged (a name twice is an error,
    as it would be for Rasa)."""
    merged: dict[str, Any] = {}
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        for key, value in (yaml.safe_load(path.read_text()) or {}).items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            elif isinstance(value, dict):
                into = merged.setdefault(key, {})
                twice = set(into) & set(value)
                if twice and key != "session_config":
                    raise ValueError(f"{path.name}: {key} named twice: {sorted(twice)}")
                into.update(value)
            else:
                merged[key] = value
    return merged
