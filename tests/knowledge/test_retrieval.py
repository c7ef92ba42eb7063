"""Retrieval: worried people's questions find the right catalog entry, with sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from noticebot.knowledge.catalog import Catalog
from noticebot.knowledge.passages import Passage
from noticebot.knowledge.retrieval import KnowledgeBase, build_knowledge_base, catalog_passages

QUESTIONS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "questions.yml").read_text(encoding="utf-8")
)["questions"]


@pytest.fixture(scope="module")
def kb(catalog: Catalog, recognizer: Any) -> KnowledgeBase:
    """The knowledge base over the curated catalog."""
    return build_knowledge_base(catalog, recognizer=recognizer)


def test_the_question_set_is_large_enough() -> None:
    assert len(QUESTIONS) >= 40


@pytest.mark.parametrize("case", QUESTIONS, ids=[q["question"][:40] for q in QUESTIONS])
def test_expected_entry_is_in_the_top_three(kb: KnowledgeBase, case: dict[str, Any]) -> None:
    entries = [answer.passage.entry for answer in kb.ask(case["question"], k=3)]
    assert case["expect"] in entries


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("what happens if i ignore my cp504", "CP504"),
        ("how long do i have to answer letter 1058", "LTR1058"),
        ("what do i do about a cp 523", "CP523"),
        ("can i get more time on my cp2000", "CP2000"),
        ("is lt-11 bad", "LT11"),
    ],
)
def test_a_named_notice_leads_the_answers(kb: KnowledgeBase, question: str, code: str) -> None:
    top = kb.ask(question, k=1)[0].passage
    assert code in top.notice_codes


@pytest.mark.parametrize(("question", "form"), [("where do i send form 12153", "12153"),
                                                 ("what is form 9423 for", "9423"),
                                                 ("do i need a 433-F", "433-F")])
def test_a_named_form_leads_the_answers(kb: KnowledgeBase, question: str, form: str) -> None:
    top = kb.ask(question, k=1)[0].passage
    assert form in top.forms or form in top.text


def test_every_catalog_passage_has_a_source_url(catalog: Catalog) -> None:
    passages = catalog_passages(catalog)
    assert len({p.id for p in passages}) == len(passages)
    assert all(p.source.startswith(("http://", "https://")) for p in passages)


def test_answers_are_ranked_best_first(kb: KnowledgeBase) -> None:
    scores = [a.score for a in kb.ask("payment plan monthly installments", k=5)]
    assert scores == sorted(scores, reverse=True) and len(scores) == 5


def test_nonsense_finds_nothing(kb: KnowledgeBase) -> None:
    assert kb.ask("xqzzv blorft", k=3) == []


def test_saved_index_answers_like_the_built_one(
    kb: KnowledgeBase, recognizer: Any, tmp_path: Path
) -> None:
    path = tmp_path / "index.json"
    kb.save(path)
    loaded = KnowledgeBase.load(path, recognizer=recognizer)
    question = "can they take my passport"
    assert [a.passage for a in loaded.ask(question)] == [a.passage for a in kb.ask(question)]


@pytest.mark.parametrize("content", ["not json", '{"format": 99, "passages": []}', "[]"])
def test_loading_something_else_is_refused(recognizer: Any, tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ValueError, match="not a knowledge index"):
        KnowledgeBase.load(path, recognizer=recognizer)


def test_an_empty_index_is_refused(recognizer: Any) -> None:
    with pytest.raises(ValueError):
        KnowledgeBase([], recognizer=recognizer)


def test_article_passages_are_searchable_beside_the_catalog(
    catalog: Catalog, recognizer: Any
) -> None:
    article = Passage(id="firm#0", text="Zebrafish payment reminders arrive every month.",
                      title="A firm article", source="articles/firm.md", kind="article",
                      entry="firm.md")
    kb = build_knowledge_base(catalog, recognizer=recognizer, documents=[article])
    assert kb.ask("zebrafish reminders", k=1)[0].passage == article


def test_open_builds_from_the_catalog_given_without_reading_it_again(
    catalog: Catalog, recognizer: Any, tmp_path: Path
) -> None:
    from noticebot.knowledge.retrieval import open_knowledge_base
    from noticebot.settings import Settings

    settings = Settings.from_env({"NOTICEBOT_KNOWLEDGE_DIR": str(tmp_path / "no-catalog-here"),
                                  "NOTICEBOT_INDEX_PATH": str(tmp_path / "absent.json")})
    kb = open_knowledge_base(settings, recognizer=recognizer, catalog=catalog)
    assert len(kb.passages) == len(catalog_passages(catalog))
