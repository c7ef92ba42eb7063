"""One message's normalized text, keywords and numbers, shared by the detectors: each number's
anchor, the stretches never looked at (links, e-mail addresses, amounts), codes and tracking
numbers left out, and the runs of digit groups cut in parts."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from noticebot.privacy.checksums import usps_check_digit_valid
from noticebot.privacy.keywords import (
    NUMBER_OR_PLACEHOLDER_RE,
    SENSITIVE_WORDS,
    SENTENCE_END_RE,
    TIGHT_GAP_RE,
    Anchor,
    find_keywords,
)
from noticebot.privacy.limits import (
    KEYWORD_REACH,
    MAX_NUMBER_DIGITS,
    MAX_PART_GROUPS,
    MAX_REACH,
    MIN_NUMBER_DIGITS,
    TRACKING_DIGITS,
)
from noticebot.privacy.looks import digit_by_digit, is_date, is_year, may_start_harmless
from noticebot.privacy.normalize import lower_case
from noticebot.privacy.numbers import GROUP_RE, RUN_RE, Number, Run, is_tracking
from noticebot.privacy.spans import Span, merged, overlaps

# Numbers never looked at: links, e-mail addresses and amounts. Amounts: $12,480.55, $ 123456789,
# 12,480, 12480.55, 12480 dollars (the pattern starts with [$0-9] so that re skips fast).
_AMOUNT_RE = re.compile(
    r"[$0-9](?:"
    r"(?<=\$)\s?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{1,2})?(?![\-.]?[0-9])"
    r"|(?<![0-9,.][0-9])(?<=[0-9])(?:"
    r"[0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![,.]?[0-9])"
    r"|[0-9]*\.[0-9]{2}(?!\.?[0-9])"
    r"|[0-9,.]*\s?(?:dollars?|usd|bucks)(?![a-z])))"
)
_URL_RE = re.compile(r"(?:https?://|www\.)\S+")
_EMAIL_RE = re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]+(?:\.[\w\-]+)+")
_LETTER_AFTER_RE = re.compile(r"-?[a-z]")
CODE_DIGITS = 8  # a number glued to letters (CP504, LTR1058, 1040X, 433-F) is a code up to this


class Context:
    """One message's normalized text, keywords and numbers, shared by the detectors."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lowered = lower_case(text)
        self.keywords = find_keywords(text, self.lowered)
        self.keyword_ends = [keyword.end for keyword in self.keywords]
        self._anchors: dict[int, Anchor | None] = {}
        self._shield_starts, self._shield_ends = merged(self._shields())
        self.runs = list(self._find_runs())

    def anchor(self, start: int) -> Anchor | None:
        """The nearest keyword before ``start`` within its reach, in the same sentence.

        A bank's name does not stop the search ("my account at Chase is ..."): it is the anchor
        only when no other keyword is found.
        """
        if start not in self._anchors:
            self._anchors[start] = self._find_anchor(start)
        return self._anchors[start]

    def _find_anchor(self, start: int) -> Anchor | None:
        index = bisect_right(self.keyword_ends, start) - 1
        bank: Anchor | None = None
        while index >= 0:
            keyword = self.keywords[index]
            if start - keyword.end > MAX_REACH or SENTENCE_END_RE.search(
                self.text, keyword.end, start
            ):
                break
            gap = self.lowered[keyword.end : start]
            if keyword.kind == "bank":
                if bank is None and len(gap) <= KEYWORD_REACH["bank"]:
                    bank = self._anchor("bank", gap)
                index -= 1
                continue
            if len(gap) <= KEYWORD_REACH[keyword.kind]:
                return self._anchor(keyword.kind, gap)
            break
        return bank

    @staticmethod
    def _anchor(kind: str, gap: str) -> Anchor:
        return Anchor(
            kind,
            tight=TIGHT_GAP_RE.fullmatch(gap) is not None,
            after_number=NUMBER_OR_PLACEHOLDER_RE.search(gap) is not None,
        )

    def _shields(self) -> Iterator[tuple[int, int, None]]:
        """Links, e-mail addresses and amounts."""
        lowered = self.lowered
        patterns = [_AMOUNT_RE]
        if "://" in lowered or "www." in lowered:
            patterns.append(_URL_RE)
        if "@" in lowered:
            patterns.append(_EMAIL_RE)
        for pattern in patterns:
            for match in pattern.finditer(lowered):
                yield match.start(), match.end(), None

    def _glued_code(self, start: int, end: int, digits: int) -> bool:
        """A short number glued to letters (CP504, LTR1058, 1040X, 433-F), or any inside a word
        (a hash or an id in a log line: 156df53c60a444499984ca270ed766fe); not "acct#1234",
        "PIN483920" or "SSN923456781"."""
        letter_before = start > 0 and self.text[start - 1].isalpha()
        if letter_before:
            index = bisect_left(self.keyword_ends, start)
            if (
                index < len(self.keywords)
                and self.keyword_ends[index] == start
                and self.keywords[index].kind in SENSITIVE_WORDS
            ):
                return False
        letter_after = end < len(self.text) and self.text[end].isalpha()
        if letter_before and letter_after:
            return True
        return digits <= CODE_DIGITS and (
            letter_before or _LETTER_AFTER_RE.match(self.lowered, end) is not None
        )

    def _find_runs(self) -> Iterator[Run]:
        """Every digit run but links, e-mail addresses, amounts, codes and tracking numbers. A
        run is cut where it touches an amount or a link ("ssn 236-62-4588 715303 USD") and after
        the phone number a "+" starts ("+1 202 555 0143 236 62 4588")."""
        text = self.text
        shields = self._shield_starts, self._shield_ends
        for run in RUN_RE.finditer(text):
            start, end = run.span()
            if end - start < MIN_NUMBER_DIGITS:
                continue  # too short to hold enough digits
            if run.group().isdigit():
                spans = [(start, end)]
            else:
                spans = [
                    (m.start() + start, m.end() + start) for m in GROUP_RE.finditer(run.group())
                ]
            if start and text[start - 1] == "+":
                spans = _after_phone_number(spans)
            piece: list[tuple[int, int]] = []
            for span in [*spans, None]:
                if span is not None and not overlaps(*shields, *span):
                    piece.append(span)
                    continue
                found = self._run(tuple(piece)) if piece else None
                if found:
                    yield found
                piece = []

    def _run(self, spans: tuple[tuple[int, int], ...]) -> Run | None:
        """The run of these digit groups, unless it is too short, a code or a tracking number."""
        groups = tuple(self.text[s:e] for s, e in spans)
        if sum(len(group) for group in groups) < MIN_NUMBER_DIGITS:
            return None
        start, end = spans[0][0], spans[-1][1]
        number = Number(start, end, groups, self.anchor(start))
        if (len(spans) == 1 and self._glued_code(start, end, len(number.digits))) or (
            is_tracking(number, number.anchor)
        ):
            return None
        if number.look not in (None, "phone") or not 1 < len(spans) <= MAX_PART_GROUPS:
            return Run(number, spans, (), frozenset(), whole=True)
        # A phone-looking run may still be cut: "IP PIN: 351 498 1111 Constitution Ave".
        cuts = self._cuts(spans)
        harmless = self._harmless_groups(spans, groups, cuts)
        glued = {
            index
            for index, (s, e) in ((0, spans[0]), (len(spans) - 1, spans[-1]))
            if e - s <= CODE_DIGITS and self._glued_code(s, e, e - s)
        }  # "pin 930777 2nd notice", "LTR1058 4/21/15"
        return Run(number, spans, cuts, harmless | glued, whole=not harmless)

    def _harmless_groups(
        self, spans: tuple[tuple[int, int], ...], groups: tuple[str, ...], cuts: tuple[int, ...]
    ) -> frozenset[int]:
        """The groups of a run in a harmless stretch of it: several groups reading as years, a
        date (with a 4-digit year, or written with slashes), a ZIP+4 or a document locator
        number, one 8-digit date, or a tracking number ("2026\\n9407 1118 9876 5432 1012 34\\n
        12/09/2026", "TX 75048-9562 780-555-0128")."""
        harmless: set[int] = set()
        if not any(may_start_harmless(group) for group in groups) and "/" not in self.text[
            spans[0][0] : spans[-1][1]
        ]:
            return frozenset()  # the common case, and a cheap one: "4111 1111 1111 1111"
        for i, first in enumerate(cuts[:-1]):
            for last in cuts[i + 1 :]:
                part = groups[first:last]
                count = sum(len(group) for group in part)
                if count > max(TRACKING_DIGITS) or (
                    len(part) > 4 and any(len(group) != 4 for group in part[:-2])
                ):
                    break  # too long, or more than 4 groups not in fours: nothing harmless
                if (first, last) != (0, len(groups)) and self._harmless_stretch(
                    spans, groups, first, last
                ):
                    harmless.update(range(first, last))
        return frozenset(harmless)

    def _harmless_stretch(
        self, spans: tuple[tuple[int, int], ...], groups: tuple[str, ...], first: int, last: int
    ) -> bool:
        part = groups[first:last]
        shape = tuple(len(group) for group in part)
        if len(part) > 1 and all(is_year(group) for group in part):
            return True
        if shape in ((5, 4), (5, 3, 5, 1)):
            return True  # ZIP+4, document locator number
        if is_tracking(part, None):  # its last digit must check: the start alone is too weak
            digits = "".join(part)
            return len(digits) > 22 or usps_check_digit_valid(digits)
        if (len(part) == 3 or shape == (8,)) and is_date(part):
            if first and len(part[0]) == len(groups[first - 1]) == 1:
                return False  # digit by digit: "pin 2 6 5 9 2 9 2018" holds no 2 Sep 2018
            if len(part) == 3 and max(shape) <= 2:  # 8/26/25, not "routing 1238 4585 4 03 04"
                return set(self.text[spans[first][1] : spans[last - 1][0]]) <= set("/0123456789")
            return True
        return False

    def _cuts(self, spans: tuple[tuple[int, int], ...]) -> tuple[int, ...]:
        """Where a run may be cut in parts: between groups with white space between them."""
        text = self.text
        inner = [
            index for index in range(1, len(spans))
            if any(char.isspace() for char in text[spans[index - 1][1] : spans[index][0]])
        ]
        return (0, *inner, len(spans))

    @property
    def numbers(self) -> list[Number]:
        """Every run as a whole, but those holding a harmless stretch and more."""
        return [run.number for run in self.runs if run.whole]

    def parts(self, found: list[Span]) -> list[Number]:
        """The parts, cut at white space, of the runs in which nothing was found as a whole
        ("022064642 4046777401", "4111 1111 1111 1111 2026") and of those holding a harmless
        stretch ("2016 2017 18294"). Runs that look harmless are not cut, nor those of more
        than MAX_PART_GROUPS groups (a table: too costly)."""
        starts, ends = merged(found)
        parts: list[Number] = []
        for run in self.runs:
            number = run.number
            if run.cuts and not (run.whole and overlaps(starts, ends, number.start, number.end)):
                parts += self._parts(run)
        return parts

    def _parts(self, run: Run) -> Iterator[Number]:
        """A run's parts, none overlapping its harmless groups unless typed digit by digit
        ("routing 0 3 3 0 2 0 6 6 2 2014": "6 2 2014" is no date there)."""
        spans, groups, cuts = run.spans, run.number.groups, run.cuts
        for i, first in enumerate(cuts[:-1]):
            for last in cuts[i + 1 :]:
                part = groups[first:last]
                if sum(len(group) for group in part) > MAX_NUMBER_DIGITS:
                    break
                if (first, last) != (0, len(spans)) and (
                    run.harmless.isdisjoint(range(first, last)) or digit_by_digit(part)
                ):
                    start, end = spans[first][0], spans[last - 1][1]
                    kind = "rest" if run.harmless else "part"
                    yield Number(start, end, part, self.anchor(start), part=kind)


def _after_phone_number(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The groups after the international phone number a "+" starts (10 to 15 digits)."""
    count = 0
    for index, (start, end) in enumerate(spans):
        count += end - start
        if count >= 10:
            return spans[index + 1 :]
    return []
