"""Answers to questions asked at any point: a kind of question (or free text) -> sourced knowledge.

Kinds of question map to catalog topics (``kinds.yml`` of the knowledge directory); a free
question goes to retrieval.
Every answer carries the source of what it says; nothing is said that the catalog lacks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from noticebot.composer import Card, Composed, Context, compose
from noticebot.knowledge.catalog import Catalog, Fact, Topic
from noticebot.knowledge.retrieval import KnowledgeBase

KINDS_FILE = "kinds.yml"  # in the knowledge directory, next to the topics it names
MORE_FACTS = 3  # facts of a topic said when the person asks for more


@dataclass(frozen=True)
class KnowledgeAnswer:
    """What to say and where it comes from."""

    title: str
    text: str
    sources: tuple[str, ...]


@lru_cache(maxsize=1)
def _mapping() -> dict[str, dict[str, Any]]:
    from noticebot.settings import get_settings

    with (get_settings().knowledge_dir / KINDS_FILE).open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle))


def answered_kinds() -> frozenset[str]:
    """The kinds of question answered from a fixed part of the catalog."""
    return frozenset(_mapping())


def _topic(catalog: Catalog, topic_id: str) -> Topic:
    for topic in catalog.topics:
        if topic.id == topic_id:
            return topic
    raise KeyError(f"kinds.yml names an unknown topic: {topic_id}")


def _picked(catalog: Catalog, pick: Mapping[str, str]) -> tuple[Topic, Fact]:
    topic = _topic(catalog, str(pick["topic"]))
    found = [fact for fact in topic.facts if fact.text.startswith(str(pick["fact"]))]
    if len(found) != 1:
        raise KeyError(f"kinds.yml: {pick['topic']}: {pick['fact']!r} names {len(found)} facts")
    return topic, found[0]


def _from_facts(title: str, facts: list[Fact]) -> KnowledgeAnswer:
    sources: dict[str, None] = {}
    for fact in facts:
        sources.update(dict.fromkeys(fact.sources[:1]))
    text = " ".join(
        fact.text if not fact.caveat else f"{fact.text} ({fact.caveat})" for fact in facts
    )
    return KnowledgeAnswer(title=title, text=text, sources=tuple(sources))


def missing_references(catalog: Catalog) -> tuple[str, ...]:
    """Every topic or picked fact of ``kinds.yml`` the catalog lacks."""
    missing = []
    for kind, rule in _mapping().items():
        try:
            for topic_id in rule.get("topics") or ():
                _topic(catalog, topic_id)
            for pick in rule.get("pick") or ():
                _picked(catalog, pick)
        except KeyError as error:
            missing.append(f"{kind}: {error}")
    return tuple(missing)


def answer_kind(
    kind: str, *, catalog: Catalog, notice_code: str | None = None
) -> KnowledgeAnswer | None:
    """Answer a kind of question from the catalog; ``None`` for a kind without a mapping."""
    rule = _mapping().get(kind)
    if rule is None:
        return None
    notice = catalog.resolve(notice_code) if notice_code else None
    if notice is not None and rule.get("notice_part") == "if_ignored":
        return _from_facts(f"{notice.code}: {notice.title}", [notice.if_ignored])
    if rule.get("pick"):
        picked = [_picked(catalog, pick) for pick in rule["pick"]]
        picked_titles = dict.fromkeys(topic.title for topic, _ in picked)
        return _from_facts(" / ".join(picked_titles), [fact for _, fact in picked])
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


class CatalogAnswers:
    """Answers composed for the question (``noticebot.composer``), from the catalog by kind of
    question, and from retrieval for free text."""

    def __init__(
        self,
        catalog: Catalog,
        knowledge_base: Callable[[], KnowledgeBase] | None = None,
        cards: Sequence[Card] = (),
    ) -> None:
        """Use ``catalog`` and the composed-answer ``cards``; ``knowledge_base`` is built only
        when a free question comes."""
        self._catalog = catalog
        self._knowledge_base = knowledge_base
        self._cards = tuple(cards)

    def compose(self, question: str, context: Context) -> Composed | None:
        """The answer composed for ``question``, if a card answers it."""
        return compose(question, cards=self._cards, catalog=self._catalog, context=context)

    def topic(self, topic_id: str) -> KnowledgeAnswer | None:
        """The catalog topic's first facts (what "say more" says), ``None`` if unknown."""
        try:
            topic = _topic(self._catalog, topic_id)
        except KeyError:
            return None
        return _from_facts(topic.title, list(topic.facts[:MORE_FACTS]))

    def for_kind(self, kind: str, *, notice_code: str | None) -> KnowledgeAnswer | None:
        """The catalog's answer to a kind of question."""
        return answer_kind(kind, catalog=self._catalog, notice_code=notice_code)

    def search(self, text: str) -> tuple[KnowledgeAnswer, str] | None:
        """The best passage for a free question (``None`` without a knowledge base)."""
        if self._knowledge_base is None:
            return None
        return answer_question(text, knowledge_base=self._knowledge_base())
