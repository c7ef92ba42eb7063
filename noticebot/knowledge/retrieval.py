"""Retrieval: a question in, ranked passages out, each with its source URL.

BM25 (``rank_bm25``) over spaCy lookup lemmas. A question that names a notice code or a form
prefers the passages tagged with it. The index is a JSON list of passages; the BM25 statistics
are rebuilt when it is loaded (a few milliseconds for the catalog, see ``bench/retrieval.py``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from rank_bm25 import BM25Okapi
from spacy.tokens import Doc

from noticebot.knowledge.catalog import Catalog, Fact, Notice, Topic, load_catalog
from noticebot.knowledge.passages import Passage
from noticebot.nlp import Recognizer
from noticebot.settings import Settings

logger = logging.getLogger(__name__)

INDEX_FORMAT = 1
# Function words only: spaCy's English stop list also drops words that matter here ("full",
# "amount", "call", "first", "back"), and BM25's idf already discounts common words.
STOP_WORDS = frozenset(
    """a an the and or but if so as of to in on at by for from with about into than then
    i me my mine we us our you your he him his she her it its they them their this that these
    those there here is are was were be been being am do does did have has had will would
    shall should could may might must what which who whom whose when where how why just
    very really please hi hello hey thanks thank ok okay""".split()
)
# A firm's own articles are not checked against IRS sources: they rank below curated facts
# that match as well.
ARTICLE_WEIGHT = 0.7
# Weight of the whole entry's relevance (a notice or topic) beside the passage's own.
ENTRY_WEIGHT = 0.3
# A passage tagged with a code or form the question names gets its score multiplied by this.
TAG_BOOST = 2.0
# ...and at least this much, so a tagged passage outranks untagged ones that share few words.
TAG_FLOOR = 1.0


@dataclass(frozen=True)
class Answer:
    """One ranked passage."""

    passage: Passage
    score: float


def _with_caveat(fact: Fact) -> str:
    return fact.text if not fact.caveat else f"{fact.text} ({fact.caveat})"


def notice_passages(notice: Notice) -> list[Passage]:
    """Turn one catalog notice into passages: meaning, deadline, consequences, routes, facts."""
    title = f"{notice.code}: {notice.title}"

    def passage(
        part: str,
        text: str,
        sources: tuple[str, ...],
        *,
        forms: tuple[str, ...] = (),
        keywords: tuple[str, ...] = (),
    ) -> Passage:
        return Passage(
            id=f"{notice.code}#{part}",
            text=text,
            title=title,
            source=sources[0],
            kind="notice",
            entry=notice.code,
            notice_codes=(notice.code,),
            forms=forms,
            keywords=keywords,
        )

    passages = [
        passage(
            "meaning",
            _with_caveat(notice.meaning),
            notice.meaning.sources,
            keywords=(*notice.aliases, notice.stage.replace("_", " ")),
        ),
        passage(
            "deadline",
            notice.deadline.text,
            notice.deadline.sources,
            keywords=("deadline", "how long", "due date", "days"),
        ),
        passage(
            "if_ignored",
            _with_caveat(notice.if_ignored),
            notice.if_ignored.sources,
            keywords=("ignore", "what happens"),
        ),
    ]
    if notice.lost_when_passed is not None:
        lost = notice.lost_when_passed
        passages.append(passage("lost", _with_caveat(lost), lost.sources))
    for route, advice in notice.routes.items():
        passages.append(
            passage(
                f"route-{route}",
                " ".join(advice.next_steps),
                advice.sources,
                forms=advice.forms,
                keywords=(route.replace("_", " "),),
            )
        )
    for right in notice.rights:
        passages.append(
            passage(
                f"right-{right.id}",
                f"{right.label}: {right.lost}",
                right.sources,
                forms=(right.form,) if right.form else (),
            )
        )
    for i, fact in enumerate(notice.facts):
        passages.append(passage(f"fact-{i}", _with_caveat(fact), fact.sources))
    return passages


def topic_passages(topic: Topic) -> list[Passage]:
    """Turn one catalog topic into passages, one per fact, all carrying the topic's keywords."""
    return [
        Passage(
            id=f"{topic.id}#{i}",
            text=_with_caveat(fact),
            title=topic.title,
            source=fact.sources[0],
            kind="topic",
            entry=topic.id,
            notice_codes=topic.notice_codes,
            forms=topic.forms,
            keywords=(topic.title, *topic.keywords),
        )
        for i, fact in enumerate(topic.facts)
    ]


def catalog_passages(catalog: Catalog) -> list[Passage]:
    """Every passage of the curated catalog: notices, topics and yearly figures."""
    passages: list[Passage] = []
    for notice in catalog.notices.values():
        passages.extend(notice_passages(notice))
    for topic in catalog.topics:
        passages.extend(topic_passages(topic))
    for figure in catalog.figures:
        amount = f"{figure.value:g} {figure.unit}".strip()
        caveat = f" ({figure.caveat})" if figure.caveat else ""
        period = f"{figure.year}q{figure.quarter}" if figure.quarter else str(figure.year)
        when = f"from quarter {figure.quarter} of {figure.year}" if figure.quarter else figure.year
        passages.append(
            Passage(
                id=f"figure:{figure.id}:{period}",
                text=f"{figure.label} ({when}): {amount}.{caveat}",
                title=figure.label,
                source=figure.sources[0],
                kind="figure",
                entry=figure.id,
            )
        )
    return passages


class KnowledgeBase:
    """A BM25 index over passages, queried with questions in plain words."""

    def __init__(self, passages: Sequence[Passage], *, recognizer: Recognizer) -> None:
        """Index ``passages``; ``recognizer`` supplies the spaCy pipeline and code spotting."""
        if not passages:
            raise ValueError("the knowledge base needs at least one passage")
        self.passages: tuple[Passage, ...] = tuple(passages)
        self._recognizer = recognizer
        docs = recognizer.nlp.pipe(self._index_text(p) for p in self.passages)
        passage_terms = [self._terms(doc) for doc in docs]
        self._bm25 = BM25Okapi(passage_terms)
        # A second index over whole entries (a notice, a topic, an article), so a passage
        # also scores by the relevance of the subject it belongs to.
        entry_index: dict[tuple[str, str], int] = {}
        entry_terms: list[list[str]] = []
        self._entry_of: list[int] = []
        for passage, terms in zip(self.passages, passage_terms, strict=True):
            index = entry_index.setdefault((passage.kind, passage.entry), len(entry_terms))
            if index == len(entry_terms):
                entry_terms.append([])
            entry_terms[index].extend(terms)
            self._entry_of.append(index)
        self._entry_bm25 = BM25Okapi(entry_terms)

    @staticmethod
    def _index_text(passage: Passage) -> str:
        return " ".join((passage.title, passage.text, *passage.keywords, *passage.notice_codes))

    def _terms(self, doc: Doc) -> list[str]:
        terms = [
            token.lemma_.lower()
            for token in doc
            if not (token.is_punct or token.is_space or token.lower_ in STOP_WORDS)
        ]
        for mention in self._tags(doc):
            terms.append(mention.lower())
        return terms

    def _tags(self, doc: Doc) -> list[str]:
        return [
            str(m.value)
            for m in self._recognizer.mentions(doc)
            if m.label in ("notice_code", "form")
        ]

    def ask(self, question: str, *, k: int = 3) -> list[Answer]:
        """Return the ``k`` best passages for ``question``, best first (empty when none match)."""
        doc = self._recognizer.nlp(question)
        terms = self._terms(doc)
        wanted = set(self._tags(doc))
        if not terms:
            return []
        scores = self._bm25.get_scores(terms)
        entry_scores = self._entry_bm25.get_scores(terms)
        top_passage, top_entry = float(scores.max()), float(entry_scores.max())
        if top_passage <= 0:
            return []
        ranked: list[Answer] = []
        for index, passage in enumerate(self.passages):
            value = float(scores[index]) / top_passage
            if top_entry > 0:
                value += ENTRY_WEIGHT * float(entry_scores[self._entry_of[index]]) / top_entry
            if passage.kind == "article":
                value *= ARTICLE_WEIGHT
            if wanted and wanted.intersection((*passage.notice_codes, *passage.forms)):
                value = max(value * TAG_BOOST, value + TAG_FLOOR)
            if value > 0:
                ranked.append(Answer(passage=passage, score=value))
        ranked.sort(key=lambda a: a.score, reverse=True)
        return ranked[:k]

    def save(self, path: Path) -> None:
        """Write the passages as JSON, creating the folder if needed."""
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"format": INDEX_FORMAT, "passages": [asdict(p) for p in self.passages]}
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path, *, recognizer: Recognizer) -> KnowledgeBase:
        """Read an index written by :meth:`save`; ``ValueError`` when it is not one."""
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} is not a knowledge index: {exc}") from exc
        if not isinstance(payload, dict) or payload.get("format") != INDEX_FORMAT:
            raise ValueError(f"{path} is not a knowledge index of format {INDEX_FORMAT}")
        passages = [
            Passage(
                **{
                    **item,
                    "notice_codes": tuple(item.get("notice_codes", ())),
                    "forms": tuple(item.get("forms", ())),
                    "keywords": tuple(item.get("keywords", ())),
                }
            )
            for item in payload["passages"]
        ]
        return cls(passages, recognizer=recognizer)


def build_knowledge_base(
    catalog: Catalog, *, recognizer: Recognizer, documents: Iterable[Passage] = ()
) -> KnowledgeBase:
    """Index the catalog plus any ingested article passages."""
    passages = [*catalog_passages(catalog), *documents]
    logger.info("indexing %d passages", len(passages))
    return KnowledgeBase(passages, recognizer=recognizer)


def _newest_mtime(directory: Path) -> float:
    return max((p.stat().st_mtime for p in directory.glob("*.yml")), default=0.0)


def open_knowledge_base(
    settings: Settings, *, recognizer: Recognizer, catalog: Catalog | None = None
) -> KnowledgeBase:
    """Load the saved index when it is newer than the catalog, else build one in memory
    (from ``catalog`` when the caller has already loaded it)."""
    index = settings.index_path
    if index.exists() and index.stat().st_mtime >= _newest_mtime(settings.knowledge_dir):
        logger.info("loading knowledge index %s", index)
        return KnowledgeBase.load(index, recognizer=recognizer)
    documents: list[Passage] = []
    if settings.documents_dir is not None:
        from noticebot.knowledge.ingest import ingest_path

        documents = ingest_path(settings.documents_dir, recognizer=recognizer)
    if catalog is None:
        catalog = load_catalog(settings.knowledge_dir)
    return build_knowledge_base(catalog, recognizer=recognizer, documents=documents)
