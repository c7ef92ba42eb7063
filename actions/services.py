"""Default domain services for the action server, built once on first use (never at import)."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo

from noticebot.adapters.notify import StaffNotifier, notifier_from_settings
from noticebot.clock import firm_today
from noticebot.composer import Card, load_cards
from noticebot.intake.db import make_engine, make_session_factory
from noticebot.intake.repository import CaseRepository
from noticebot.knowledge.catalog import Catalog, load_catalog
from noticebot.knowledge.retrieval import KnowledgeBase, open_knowledge_base
from noticebot.nlp import Recognizer
from noticebot.settings import FirmProfile, get_settings


def default_firm() -> FirmProfile:
    """The firm profile of the settings."""
    return get_settings().firm


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The curated catalog named by the settings."""
    return load_catalog(get_settings().knowledge_dir)


def default_cards() -> tuple[Card, ...]:
    """The composed-answer cards next to the catalog (``answers.yml``)."""
    return load_cards(get_settings().knowledge_dir)


@lru_cache(maxsize=1)
def default_knowledge_base() -> KnowledgeBase:
    """The knowledge base: the saved index when fresh, else built from the loaded catalog."""
    return open_knowledge_base(get_settings(), recognizer=Recognizer(), catalog=default_catalog())


@lru_cache(maxsize=1)
def default_case_repository() -> CaseRepository:
    """The case store on DATABASE_URL (one engine per action server process)."""
    settings = get_settings()
    engine = make_engine(settings.database_url)
    return CaseRepository(
        make_session_factory(engine), today=firm_today, zone=ZoneInfo(settings.firm.timezone)
    )


@lru_cache(maxsize=1)
def default_notifier() -> StaffNotifier | None:
    """The firm's staff notification webhook, or None when STAFF_WEBHOOK_URL is not set."""
    return notifier_from_settings(get_settings())
