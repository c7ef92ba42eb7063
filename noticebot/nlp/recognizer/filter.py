"""The entity filter, the pipeline step after the ruler: it drops blockers and counts ("30
days", "2024 taxes"), trims trigger words off amounts and adds the forms listed after a
first one ("forms 9465 or 656")."""

# No ``from __future__ import annotations`` here: spaCy reads the factory's annotations to
# check its config.
import re
from collections.abc import Collection, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from noticebot.nlp.recognizer.rules import Rules
from noticebot.nlp.recognizer.values import YEAR_RE, canonical_form

FILTER_NAME = "noticebot_entity_filter"
# Labels whose bare last number a following "days" or "taxes" makes a count or a tax year.
_COUNTABLE_LABELS = frozenset({"notice_code", "form", "amount"})


class EntityFilter:
    """Pipeline step after the ruler: drop blockers and counts, trim entities, add listed forms."""

    def __init__(
        self,
        *,
        count_words: Iterable[str],
        year_words: Iterable[str],
        amount_trigger_words: Iterable[str],
        day_of_month_followers: Iterable[str] = (),
        form_list_joiners: Iterable[str] = (),
        form_number_pattern: str = r"\d{2,5}(?:-?[a-z]{1,2})?",
    ) -> None:
        """Keep the word lists that make a number a count, a tax year, a date or a listed form."""
        self.count_words = frozenset(count_words)
        self.year_words = frozenset(year_words)
        self.amount_trigger_words = frozenset(amount_trigger_words)
        self.day_of_month_followers = frozenset(day_of_month_followers)
        self.form_list_joiners = frozenset(form_list_joiners)
        self.form_number = re.compile(form_number_pattern)

    def __call__(self, doc: Doc) -> Doc:
        """Rewrite ``doc.ents`` with the kept, trimmed entities and the listed forms."""
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        kept: list[Span] = []
        for ent in doc.ents:
            if ent.label_.startswith("_"):
                continue
            span = self._trim(ent)
            if span is None or (span.label_ in _COUNTABLE_LABELS and self._is_count_or_year(span)):
                continue
            kept.append(span)
            if span.label_ == "form":
                listed = list(self._listed_forms(span, taken=taken))
                taken.update(i for form in listed for i in range(form.start, form.end))
                kept.extend(listed)
        doc.set_ents(sorted(kept, key=lambda span: span.start), default="outside")
        return doc

    def _trim(self, ent: Span) -> Span | None:
        """``ent`` without its leading trigger words, or None for a count like "the 2nd notice"."""
        if ent.label_ == "amount":
            return self._trim_amount(ent)
        if ent.label_ == "date" and ent[0].lower_ == "the":
            return self._day_of_month(ent)
        return ent

    def _is_count_or_year(self, span: Span) -> bool:
        """True when ``span`` ends with a bare number that the next word makes a count or year."""
        last = span[-1]
        if not last.is_digit or span.end >= len(span.doc):
            return False
        following = span.doc[span.end].lower_
        if following in self.count_words:
            return True
        return bool(YEAR_RE.fullmatch(last.text)) and following in self.year_words

    def _trim_amount(self, ent: Span) -> Span:
        """Drop the trigger words ("owe", "balance of") in front of an amount."""
        start = ent.start
        while start < ent.end - 1 and ent.doc[start].lower_ in self.amount_trigger_words:
            start += 1
        if start == ent.start:
            return ent
        return Span(ent.doc, start, ent.end, label=ent.label, span_id=ent.ent_id)

    def _day_of_month(self, ent: Span) -> Span | None:
        """Drop "the" from "the 15th"; None when a word like "notice" follows ("the 2nd notice")."""
        doc = ent.doc
        if ent.end < len(doc):
            following = doc[ent.end]
            is_end = following.is_punct or following.is_space
            if not is_end and following.lower_ not in self.day_of_month_followers:
                return None
        return Span(doc, ent.start + 1, ent.end, label=ent.label, span_id=ent.ent_id)

    def _listed_forms(self, form: Span, *, taken: Collection[int]) -> Iterator[Span]:
        """Form numbers listed after ``form``: "form 9465 or 656", "forms 12153, 9423 and 656-L".

        A listed number that is part of another entity, or a count or tax year ("30 days"), ends
        the list; a form the ruler already found is kept and the list goes on after it.
        """
        doc = form.doc
        position = form.end
        while True:
            start, last = position, min(position + 2, len(doc))  # ", and": two joiners at most
            while start < last and doc[start].lower_ in self.form_list_joiners:
                start += 1
            if start == position or start >= len(doc):
                return
            found = next((ent for ent in doc.ents if ent.start == start), None)
            if found is not None:
                if found.label_ != "form":
                    return
                position = found.end
                continue
            span = self._form_number_at(doc, start, taken=taken)
            if span is None or self._is_count_or_year(span):
                return
            yield span
            position = span.end

    def _form_number_at(self, doc: Doc, start: int, *, taken: Collection[int]) -> Span | None:
        """The longest form number written from token ``start`` ("656", "433-a"), else None."""
        for end in range(min(start + 3, len(doc)), start, -1):
            if any(i in taken for i in range(start, end)):
                continue
            text = doc[start:end].text.lower()
            if not self.form_number.fullmatch(text):
                continue
            code = canonical_form(f"form {text}")
            if code is not None:
                return Span(doc, start, end, label="form", span_id=code)
        return None


@Language.factory(FILTER_NAME)
def make_entity_filter(
    nlp: Language,
    name: str,
    count_words: list[str],
    year_words: list[str],
    amount_trigger_words: list[str],
    day_of_month_followers: list[str],
    form_list_joiners: list[str],
    form_number_pattern: str,
) -> EntityFilter:
    """spaCy factory of ``EntityFilter``."""
    return EntityFilter(
        count_words=count_words,
        year_words=year_words,
        amount_trigger_words=amount_trigger_words,
        day_of_month_followers=day_of_month_followers,
        form_list_joiners=form_list_joiners,
        form_number_pattern=form_number_pattern,
    )


def amount_trigger_words(rules: Rules) -> list[str]:
    """Words trimmed from the front of an amount: the "owe"/"balance of" triggers and fillers."""
    words = rules.raw["words"]
    lists = ("owe_words", "balance_words", "balance_links", "amount_fillers", "amount_joiners")
    return sorted({word for name in lists for word in words[name]})

