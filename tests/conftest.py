"""Shared fixtures: the real catalog and one recognizer per test session (both are costly)."""

from __future__ import annotations

from pathlib import Path

import pytest

from noticebot.knowledge.catalog import Catalog, load_catalog
from noticebot.settings import PROJECT_ROOT

KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"


@pytest.fixture(scope="session")
def knowledge_dir() -> Path:
    """The curated catalog folder of this checkout."""
    return KNOWLEDGE_DIR


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The curated catalog, loaded once."""
    return load_catalog(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def recognizer():  # type: ignore[no-untyped-def]
    """One spaCy recognizer for the whole session."""
    from noticebot.nlp import Recognizer

    return Recognizer()
