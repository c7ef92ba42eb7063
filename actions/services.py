"""Default domain services for the action server, built once on first use (never at import)."""

from __future__ import annotations

from functools import lru_cache

from noticebot.knowledge.catalog import Catalog, load_catalog
from noticebot.knowledge.retrieval import KnowledgeBase, open_knowledge_base
from noticebot.nlp import Recognizer
from noticebot.settings import get_settings


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The curated catalog named by the settings."""
    return load_catalog(get_settings().knowledge_dir)


@lru_cache(maxsize=1)
def default_knowledge_base() -> KnowledgeBase:
    """The knowledge base: the saved index when fresh, else built from the loaded catalog."""
    return open_knowledge_base(get_settings(), recognizer=Recognizer(), catalog=default_catalog())
