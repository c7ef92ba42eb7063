"""Score the reader on the annotated corpus of realistic first messages (messages.yml).

Two figures, both printed by ``python -m tests.reading.scoring`` and checked in the tests:

- notice attribution: the share of messages whose notices (codes) and the dates of each
  (notice date, printed deadline, day received) all come out exactly as annotated;
- facts: over every (message, fact) pair that the annotation or the reader sets, the share
  where both agree (a fact the reader invents counts as a miss, like one it misses). The facts
  are the amount, the tax years, agrees/disputes and why, can pay in full, a monthly amount,
  the warning signs, a plan in place, a missed plan payment, hardship, a wish for a person.

What a message asks (``asks``) is scored separately and not gated.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from noticebot.reading import MessageFacts, Reader

CORPUS = Path(__file__).with_name("messages.yml")
# Written later by another hand; used once for error analysis (a second development set): its
# figures are printed, not gated.
HOLDOUT = Path(__file__).with_name("holdout.yml")
# Written last, by another hand, and never looked at while the reader was written or tuned.
FINAL_HOLDOUT = Path(__file__).with_name("final_holdout.yml")
# Facts the annotation only ever sets to true: a reader's False equals the annotation's silence.
TRUE_ONLY = ("installment_agreement", "missed_installment", "hardship", "wants_human")
FACTS = (
    "amount",
    "tax_years",
    "agrees",
    "dispute_reason",
    "can_pay_in_full",
    "monthly_payment",
    "red_flags",
    "installment_agreement",
    "missed_installment",
    "hardship",
    "wants_human",
)


def load_corpus(path: Path = CORPUS) -> tuple[dt.date, list[dict[str, Any]]]:
    """The corpus's reference date and its messages."""
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return raw["today"], raw["messages"]


def expected_notices(message: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(code, notice date, printed deadline, received) of each annotated notice."""
    return [
        (n["code"], n.get("notice_date"), n.get("deadline"), n.get("received"))
        for n in message.get("notices") or []
    ]


def read_notices(facts: MessageFacts) -> list[tuple[Any, ...]]:
    """The same tuples from what the reader found."""
    return [(n.code, n.notice_date, n.printed_deadline, n.received) for n in facts.notices]


def _normal(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "red_flags":
        return frozenset(value) or None
    if name == "tax_years":
        return tuple(sorted(value)) or None
    if name in ("amount", "monthly_payment"):
        return round(float(value), 2)
    if name in TRUE_ONLY:
        return True if value else None
    return value


def fact_pairs(message: dict[str, Any], facts: MessageFacts) -> list[tuple[str, Any, Any]]:
    """(fact, annotated, read) for every fact either side sets."""
    pairs = []
    for name in FACTS:
        expected = _normal(name, message.get(name))
        got = _normal(name, getattr(facts, name))
        if expected is None and got is None:
            continue
        pairs.append((name, expected, got))
    return pairs


def _asks(message: dict[str, Any]) -> set[str]:
    asks = message.get("asks")
    if not asks:
        return set()
    return {asks} if isinstance(asks, str) else set(asks)


@dataclass
class Score:
    """The corpus figures and the misses behind them."""

    messages: int = 0
    notices_right: int = 0
    fact_pairs: int = 0
    facts_right: int = 0
    asks_right: int = 0
    notice_misses: list[str] = field(default_factory=list)
    fact_misses: list[str] = field(default_factory=list)
    misses_by_fact: Counter[str] = field(default_factory=Counter)

    @property
    def notice_accuracy(self) -> float:
        """Share of messages with every notice and date right."""
        return self.notices_right / self.messages if self.messages else 0.0

    @property
    def fact_accuracy(self) -> float:
        """Share of (message, fact) pairs right."""
        return self.facts_right / self.fact_pairs if self.fact_pairs else 0.0


def score(reader: Reader, path: Path = CORPUS) -> Score:
    """Read every message of the corpus and compare with its annotation."""
    today, messages = load_corpus(path)
    result = Score()
    for message in messages:
        facts = reader.read(message["text"], today=today)
        result.messages += 1
        expected, got = expected_notices(message), read_notices(facts)
        if sorted(expected, key=str) == sorted(got, key=str):
            result.notices_right += 1
        else:
            result.notice_misses.append(f"{message['id']}: expected {expected}, read {got}")
        for name, want, have in fact_pairs(message, facts):
            result.fact_pairs += 1
            if want == have:
                result.facts_right += 1
            else:
                result.misses_by_fact[name] += 1
                result.fact_misses.append(
                    f"{message['id']} {name}: expected {want!r}, read {have!r}"
                )
        wanted_asks = _asks(message)
        if not wanted_asks or wanted_asks & set(facts.asks):
            result.asks_right += 1
    return result


def main() -> None:
    """Print the figures and every miss, for the corpus and the holdout (``--misses``)."""
    import sys

    reader = Reader()
    sets = (("corpus", CORPUS), ("holdout", HOLDOUT), ("final holdout", FINAL_HOLDOUT))
    for name, path in sets:
        if path.exists():
            report(name, score(reader, path), misses="--misses" in sys.argv)


def report(name: str, result: Score, *, misses: bool) -> None:
    """Print one set's figures (and its misses)."""
    if misses:
        for line in [*result.notice_misses, *result.fact_misses]:
            print(line)
    print(f"{name}: messages: {result.messages}")
    print(
        f"notice+date attribution: {result.notice_accuracy:.3f} "
        f"({result.notices_right}/{result.messages})"
    )
    print(
        f"facts: {result.fact_accuracy:.3f} ({result.facts_right}/{result.fact_pairs}); "
        f"misses by fact: {dict(result.misses_by_fact)}"
    )
    print(f"asks (not gated): {result.asks_right}/{result.messages}")


if __name__ == "__main__":
    main()
