"""Read one message for every fact it states: notices with their own dates, the balance, the
tax years, and what the person says about their situation (``cues.yml``).

The recognizer (``noticebot.nlp``) finds the notice codes, forms, amounts and dates with their
roles; ``attribution`` decides which notice each date belongs to, ``amounts`` which number is
the balance, and ``cues`` what the words say about the person. The NLU pipeline calls the
reader with the mentions it already has, so a message is recognized once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from noticebot.nlp import Mention, Recognizer
from noticebot.reading.amounts import balance_and_monthly, tax_years
from noticebot.reading.attribution import attribute_dates
from noticebot.reading.cues import (
    BOOLEAN_FACTS,
    DISPUTE_PRIORITY,
    CueBook,
    asked,
    find,
    last_value,
    load_cue_book,
    negated_labels,
    normalize,
    segment,
)
from noticebot.reading.model import IDENTITY_THEFT, MessageFacts


class Reader:
    """Read the facts of a message (see the module's docstring)."""

    def __init__(self, recognizer: Recognizer | None = None, book: CueBook | None = None) -> None:
        """Use ``recognizer`` (built on first use when not given) and the cue book."""
        self._recognizer = recognizer
        self._book = book

    @property
    def recognizer(self) -> Recognizer:
        """The recognizer, built once."""
        if self._recognizer is None:
            self._recognizer = Recognizer()
        return self._recognizer

    @property
    def book(self) -> CueBook:
        """The compiled cue book."""
        if self._book is None:
            self._book = load_cue_book()
        return self._book

    def read(
        self, text: str, *, today: dt.date, mentions: Sequence[Mention] | None = None
    ) -> MessageFacts:
        """Every fact ``text`` states; ``mentions`` when the recognizer already ran on it."""
        if mentions is None:
            mentions = self.recognizer.recognize(text, today=today)
        notices = attribute_dates(text, mentions, today=today, book=self.book)
        situation = self._situation(text)
        balance, monthly = balance_and_monthly(text, mentions)
        return MessageFacts(
            notices=notices.notices,
            loose_dates=notices.loose,
            amount=balance,
            monthly_payment=monthly,
            tax_years=tax_years(text, mentions),
            forms=tuple(dict.fromkeys(str(m.value) for m in mentions if m.label == "form")),
            agrees=situation.agrees,
            dispute_reason=situation.dispute_reason,
            can_pay_in_full=situation.can_pay_in_full,
            can_cure_missed=situation.can_cure_missed,
            red_flags=situation.red_flags,
            denies_red_flags=situation.denies_red_flags,
            installment_agreement=situation.installment_agreement,
            missed_installment=situation.missed_installment,
            hardship=situation.hardship,
            wants_human=bool(situation.wants_human),
            asks=situation.asks,
            unsure=situation.unsure,
            no_date=situation.no_date,
            acknowledgement=situation.acknowledgement,
            answer_word=situation.answer_word,
        )

    def _situation(self, text: str) -> MessageFacts:
        book = self.book
        normalized = normalize(text, book)
        segments = segment(normalized, book)
        values = {
            name: last_value(find(book.facts[name], segments, book)) for name in BOOLEAN_FACTS
        }
        reason = next(
            (
                label
                for label in DISPUTE_PRIORITY
                if find(book.dispute_reasons[label], segments, book, labels=True)
            ),
            None,
        )
        agrees = values["agrees"]
        if reason is not None and agrees is None:
            agrees = False
        if agrees is not False:
            reason = None
        flags = [
            label
            for label, cues in book.red_flags.items()
            if find(cues, segments, book, labels=True)
        ]
        if reason == IDENTITY_THEFT and IDENTITY_THEFT not in flags:
            flags.append(IDENTITY_THEFT)
        denied = negated_labels(book.red_flags, segments, book) - set(flags)
        questions = sorted(
            (hits[0].start, kind)
            for kind, cues in book.asks.items()
            if (hits := asked(cues, segments, book))
        )
        flag = {
            name: bool(find(cues, segments, book, labels=True))
            for name, cues in book.flags.items()
        }
        return MessageFacts(
            agrees=agrees,
            dispute_reason=reason,
            can_pay_in_full=values["can_pay_in_full"],
            can_cure_missed=values["can_cure_missed"],
            red_flags=tuple(flags),
            denies_red_flags=flag["no_red_flags"] or (not flags and len(denied) >= 2),
            installment_agreement=(
                True if values["missed_installment"] else values["installment_agreement"]
            ),
            missed_installment=values["missed_installment"],
            hardship=values["hardship"],
            wants_human=bool(values["wants_human"]),
            asks=tuple(dict.fromkeys(kind for _, kind in questions)),
            unsure=flag["unsure"],
            no_date=flag["no_date"],
            acknowledgement=bool(book.acknowledgement.fullmatch(normalized)),
            answer_word=(
                "yes"
                if book.opening_yes.match(normalized)
                else "no" if book.opening_no.match(normalized) else None
            ),
        )


def read_message(
    text: str,
    *,
    today: dt.date,
    reader: Reader | None = None,
    mentions: Sequence[Mention] | None = None,
) -> MessageFacts:
    """Every fact ``text`` states, read with ``reader`` (a new one when not given)."""
    return (reader or Reader()).read(text, today=today, mentions=mentions)
