"""Score the answers on the public question set (questions.yml): does each answer contain the
facts the question needs, and none of the wrong (outdated or misleading) ones?

Each question is asked of ``noticebot.conversation.respond`` in a fresh conversation (with the
notice and date of its ``context`` known first, when it has one), read by the real reader, and
the replies are rendered with their texts from domain/. ``python -m tests.answers.scoring``
prints the figures and every miss.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from noticebot.answers import CatalogAnswers
from noticebot.composer import load_cards
from noticebot.conversation import ConversationState, Turn, respond
from noticebot.knowledge.catalog import Catalog
from noticebot.notices import NoticeEntry
from noticebot.reading import Reader
from noticebot.reply import Reply
from noticebot.settings import PROJECT_ROOT, FirmProfile
from tests.domain_files import load_domain

QUESTIONS = Path(__file__).with_name("questions.yml")
# Written without seeing the cards or the public set, measured once the cards were done.
HOLDOUT = Path(__file__).with_name("holdout.yml")
# 60 questions written after the cards, by someone who never saw them; measured once, untouched
FINAL_HOLDOUT = Path(__file__).with_name("final_holdout.yml")


@lru_cache(maxsize=1)
def templates() -> dict[str, str]:
    """Each response's text (the default variation)."""
    domain = load_domain()
    return {
        name: next((v["text"] for v in variations if "channel" not in v), variations[0]["text"])
        for name, variations in domain["responses"].items()
    }


def render(reply: Reply) -> str:
    """A reply as the person reads it."""
    text = templates()[reply.response]
    return re.sub(r"\{(\w+)\}", lambda m: str(reply.values.get(m.group(1), m.group(0))), text)


KNOWLEDGE = PROJECT_ROOT / "data" / "knowledge"


def answers_for(catalog: Catalog) -> CatalogAnswers:
    """The answers as the assistant gives them: cards first, then the catalog by kind."""
    return CatalogAnswers(catalog, cards=load_cards(KNOWLEDGE))


def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    """The questions of the set."""
    with path.open(encoding="utf-8") as handle:
        return list(yaml.safe_load(handle)["questions"])


def answer(question: dict[str, Any], *, catalog: Catalog, reader: Reader, today: dt.date) -> str:
    """What the assistant says to the question, in a conversation that knows its context."""
    state = ConversationState()
    context = question.get("context") or {}
    if context.get("notice"):
        notice_date = None
        if "notice_date" in context:
            notice_date = today + dt.timedelta(days=int(context["notice_date"]))
        state = ConversationState(
            notices=(NoticeEntry(context["notice"], notice_date=notice_date, date_asked=True),),
            notice_code=context["notice"],
        )
        # the card was shown when the notice was named: the answer is what is said now
        first = respond(state, Turn(intent="inform", text=""), catalog=catalog, today=today,
                        firm=FirmProfile(), answers=answers_for(catalog))
        state = first.state.with_changes(pending_question=None)
    text = question["text"]
    result = respond(
        state,
        Turn(intent="ask_tax_question", confidence=0.9,
             facts=reader.read(text, today=today), text=text),
        catalog=catalog,
        today=today,
        firm=FirmProfile(),
        answers=answers_for(catalog),
    )
    return " ".join(render(reply) for reply in result.replies)


def judge(question: dict[str, Any], said: str) -> tuple[list[list[str]], list[list[str]]]:
    """(the facts missing, the wrong strings present)."""
    lowered = said.lower()
    missing = [alts for alts in question.get("facts") or []
               if not any(alt.lower() in lowered for alt in alts)]
    wrong = [alts for alts in question.get("wrong") or []
             if any(alt.lower() in lowered for alt in alts)]
    return missing, wrong


@dataclass
class Score:
    """The set's figures."""

    questions: int = 0
    fully: int = 0
    facts: int = 0
    facts_found: int = 0
    wrong: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    kind_totals: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    @property
    def fully_answered(self) -> float:
        """Share of questions whose answer has every fact and no wrong one."""
        return self.fully / self.questions if self.questions else 0.0


def score(
    catalog: Catalog, reader: Reader, today: dt.date, path: Path = QUESTIONS
) -> Score:
    """Ask every question of ``path`` and judge its answer."""
    result = Score()
    for question in load_questions(path):
        said = answer(question, catalog=catalog, reader=reader, today=today)
        missing, wrong = judge(question, said)
        result.questions += 1
        result.kind_totals[question["kind"]] += 1
        result.facts += len(question.get("facts") or [])
        result.facts_found += len(question.get("facts") or []) - len(missing)
        result.wrong += len(wrong)
        if not missing and not wrong:
            result.fully += 1
            result.by_kind[question["kind"]] += 1
        else:
            result.misses.append(
                f"{question['id']} [{question['kind']}] {question['text']!r}\n"
                f"    missing {missing} wrong {wrong}\n    said: {said[:400]}"
            )
    return result


def main() -> None:
    """Print the figures and every miss (``--misses``); ``--holdout`` scores the held-out set,
    ``--final`` the final held-out set (never used to change the cards)."""
    import sys

    from noticebot.clock import firm_today
    from noticebot.knowledge.catalog import load_catalog

    path = (FINAL_HOLDOUT if "--final" in sys.argv
            else HOLDOUT if "--holdout" in sys.argv else QUESTIONS)
    result = score(load_catalog(KNOWLEDGE), Reader(), firm_today(), path)
    if "--misses" in sys.argv:
        print("\n".join(result.misses))
    print(f"questions: {result.questions}; fully answered: {result.fully_answered:.3f} "
          f"({result.fully}); facts found: {result.facts_found}/{result.facts}; "
          f"wrong strings: {result.wrong}")
    for kind, total in sorted(result.kind_totals.items()):
        print(f"  {kind:16s} {result.by_kind[kind]}/{total}")


if __name__ == "__main__":
    main()
