"""Answers to questions asked at any point: an intent (or free text) -> sourced knowledge.

Question intents map to catalog topics (``answers.yml``); a free question goes to retrieval.
Every answer carries the source of what it says; nothing is said that the catalog lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from noticebot.knowledge.catalog import Catalog, Fact, Topic
from noticebot.knowledge.retrieval import KnowledgeBase

MAPPING_PATH = Path(__file__).with_name("answers.yml")


@dataclass(frozen=True)
class KnowledgeAnswer:
    """What to say and where it comes from."""

    title: str
    text: str
    sources: tuple[str, ...]


@lru_cache(maxsize=1)
def _mapping() -> dict[str, dict[str, Any]]:
    with MAPPING_PATH.open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle))


def answered_intents() -> frozenset[str]:
    """The intents answered from a fixed part of the catalog."""
    return frozenset(_mapping())


def _topic(catalog: Catalog, topic_id: str) -> Topic:
    for topic in catalog.topics:
        if topic.id == topic_id:
            return topic
    raise KeyError(f"answers.yml names an unknown topic: {topic_id}")


def _from_facts(title: str, facts: list[Fact]) -> KnowledgeAnswer:
    sources: dict[str, None] = {}
    for fact in facts:
        sources.update(dict.fromkeys(fact.sources[:1]))
    text = " ".join(
        fact.text if not fact.caveat else f"{fact.text} ({fact.caveat})" for fact in facts
    )
    return KnowledgeAnswer(title=title, text=text, sources=tuple(sources))


def answer_intent(
    intent: str, *, catalog: Catalog, notice_code: str | None = None
) -> KnowledgeAnswer | None:
    """Answer a question intent from the catalog; ``None`` for an intent without a mapping."""
    rule = _mapping().get(intent)
    if rule is None:
        return None
    notice = catalog.resolve(notice_code) if notice_code else None
    part = rule.get("notice_part")
    if notice is not None and part == "if_ignored":
        return _from_facts(f"{notice.code}: {notice.title}", [notice.if_ignored])
    facts: list[Fact] = []
    titles: list[str] = []
    for topic_id in rule["topics"]:
        topic = _topic(catalog, topic_id)
        facts.extend(topic.facts[: int(rule.get("facts", 2))])
        titles.append(topic.title)
    return _from_facts(" / ".join(titles), facts)


def answer_question(
    question: str, *, knowledge_base: KnowledgeBase
) -> tuple[KnowledgeAnswer, str] | None:
    """Answer a free question with the best passage and its kind (``"article"`` for a firm's
    own article, not checked against IRS sources); ``None`` when nothing matches."""
    answers = knowledge_base.ask(question, k=1)
    if not answers:
        return None
    passage = answers[0].passage
    answer = KnowledgeAnswer(title=passage.title, text=passage.text, sources=(passage.source,))
    return answer, passage.kind
