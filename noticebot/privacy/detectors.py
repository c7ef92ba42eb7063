"""Step 2, detecting: each kind's finder (SSN and ITIN, EIN, nine digits, card, account,
IP PIN, parts of an SSN), run on the whole runs, then on the parts where nothing was found."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator

from noticebot.privacy.checksums import aba_valid, luhn_valid
from noticebot.privacy.context import Context
from noticebot.privacy.keywords import NINE_DIGIT_WORDS, SSN_AFTER_RE
from noticebot.privacy.limits import (
    ACCOUNT_DIGITS,
    ACCOUNT_DIGITS_AFTER_WORDS,
    CARD_DIGITS,
    IP_PIN_DIGITS,
    MAX_REACH,
    PIN_DIGITS,
    SSN_PHRASE_REACH,
)
from noticebot.privacy.looks import digit_by_digit, is_year
from noticebot.privacy.numbers import DIGIT_RE, Number
from noticebot.privacy.spans import Span, merged, overlaps


def _ssn_shaped(context: Context, numbers: list[Number]) -> Iterator[Span]:
    """SSNs and ITINs in 3-2-4 groups, with any separators: 236-62-4588, 236--62 4588."""
    for number in numbers:
        if number.shape == (3, 2, 4):
            yield number.start, number.end, "ssn"


def _ein_shaped(context: Context, numbers: list[Number]) -> Iterator[Span]:
    """EINs in 2-7 groups: 12-3456789, 12.3456789, 12 3456789 (en dashes are dashes here)."""
    for number in numbers:
        if number.shape == (2, 7):
            yield number.start, number.end, "ein"


_SHAPED = ((3, 2, 4), (2, 7))  # left to _ssn_shaped and _ein_shaped


def _nine_digit_kind(context: Context, number: Number) -> str | None:
    """SSN, EIN, routing or account: the keyword before decides, else an SSN word after, else
    the ABA checksum. ZIP+4 (90012 3456, CA 900123456, zip: 900123456) is no kind."""
    kind = number.anchor.kind if number.anchor else None
    if kind in ("ssn", "ein", "routing", "account"):
        return kind
    if kind == "bank":
        return "routing" if aba_valid(number.digits) else "account"
    if (kind == "zip" and not (number.anchor and number.anchor.after_number)) or (
        number.look == "zip"
    ):
        return None
    if SSN_AFTER_RE.match(context.lowered, number.end):
        return "ssn"
    return "routing" if aba_valid(number.digits) else "ssn"


# Where people cut nine digits: 236 62 4588, 236 624 588, 0220 6464 2, and further cuts
# (2 3 6 6 2 4 5 8 8, "236 six two 4588"); or 23 662 4588 exactly. Not "2016 18294" or
# "HTTP/1.1 200 1234".
_NINE_DIGIT_CUTS = ({3, 5}, {3, 6}, {4, 8})


def _nine_digit_grouping(shape: tuple[int, ...]) -> bool:
    cuts = {sum(shape[:index]) for index in range(1, len(shape))}
    return not cuts or cuts == {2, 5} or any(usual <= cuts for usual in _NINE_DIGIT_CUTS)


def _nine_digits(context: Context, numbers: list[Number]) -> Iterator[Span]:
    """Nine digits in any other grouping. After an SSN, EIN or bank word (or before "is my
    social"), any grouping. Otherwise one block or cut where people cut them: 236624588,
    236 624 588, 0220 6464 2, 2 3 6 6 2 4 5 8 8 (not "2016 18294", "555-0186 15", "HTTP/1.1 200
    1234"); and in a longer run, groups joined by spaces only digit by digit or next to a
    harmless stretch ("091 457 060 17796-3136"), not in "payments of 250 250 250 250"."""
    for number in numbers:
        if len(number.digits) != 9 or number.shape in _SHAPED:
            continue
        anchored = (
            number.anchor is not None and number.anchor.kind in NINE_DIGIT_WORDS
        ) or SSN_AFTER_RE.match(context.lowered, number.end) is not None
        if not anchored and (
            not _nine_digit_grouping(number.shape)
            or (
                number.part == "part"
                and any(char.isspace() for char in context.text[number.start : number.end])
                and not digit_by_digit(number.groups)
            )
        ):
            continue
        kind = _nine_digit_kind(context, number)
        if kind:
            yield number.start, number.end, kind


def _card_grouping(shape: tuple[int, ...]) -> bool:
    """One block, digit by digit, or led by 4 to 8 digits then groups of 4 to 6 (4-4-4-4,
    4-6-5, 4-4-4-4-3, 8-8); not 4-3-3-4, a year then a phone number."""
    return (
        len(shape) == 1
        or all(size == 1 for size in shape)
        or (4 <= shape[0] <= 8 and all(4 <= size <= 6 for size in shape[1:-1]) and shape[-1] <= 8)
    )


def _cards(context: Context, numbers: list[Number]) -> Iterator[Span]:
    """Card numbers, 13 to 19 digits grouped like one: Luhn-valid ones anywhere but after a
    case, ticket or tracking word; after a card word, or in 4-4-4-4 groups, even with a typo
    (unless a Luhn-valid one overlaps it: "391 555 0132 4814 6486 9991 9837")."""
    strong: list[Span] = []
    weak: list[Span] = []
    for number in numbers:
        if (
            len(number.digits) not in CARD_DIGITS
            or number.look is not None
            or not _card_grouping(number.shape)
        ):
            continue
        if number.part and is_year(number.groups[0]):
            continue  # no card starts 1990-2039: "2016 4300 8213 8982 3764" is a year, a card
        anchor = number.anchor
        after_card = anchor is not None and anchor.kind == "card" and not anchor.after_number
        after_reference = anchor is not None and anchor.kind == "ref"
        if after_card or (not after_reference and luhn_valid(number.digits)):
            strong.append((number.start, number.end, "card"))
        elif not after_reference and number.shape == (4, 4, 4, 4):
            weak.append((number.start, number.end, "card"))
    yield from strong
    starts, ends = merged(strong)
    yield from (span for span in weak if not overlaps(starts, ends, span[0], span[1]))


# A nine-digit number passing the ABA checksum, then only "and", "account", "#"...: the
# number after it is the account ("routing 022064642 and 4046777401").
_ROUTING_BEFORE_RE = re.compile(
    r"(?<![0-9])(?<![0-9][ \-])"
    r"([0-9]{9}|[0-9]{4}[ \-][0-9]{4}[ \-][0-9]|[0-9]{3}(?:[ \-][0-9]{3}){2})"
    r"[\s,;:/&+#.\-]*"
    r"(?:(?:and|then|account|acct|checking|savings|number|no)(?![a-z])[\s,;:/&+#.\-]*)*$"
)


def _follows_routing_number(context: Context, start: int) -> bool:
    """Whether a routing number (not a ZIP+4 or a reference) comes right before ``start``."""
    match = _ROUTING_BEFORE_RE.search(context.lowered, max(0, start - MAX_REACH), start)
    if match is None or not aba_valid(re.sub(r"\s|-", "", match.group(1))):
        return False
    anchor = context.anchor(match.start(1))
    return anchor is None or anchor.kind not in ("zip", "ref")


def _is_account(context: Context, number: Number) -> bool:
    count = len(number.digits)
    if count not in ACCOUNT_DIGITS or number.look == "years":
        return False
    anchor = number.anchor
    words_between = count in ACCOUNT_DIGITS_AFTER_WORDS
    if words_between and _follows_routing_number(context, number.start):
        return True
    if anchor is None:
        return False
    if anchor.kind == "account":
        return anchor.tight or (words_between and number.look in (None, "phone"))
    if anchor.kind == "bank":
        return words_between and number.look is None
    return False


def _accounts(context: Context, numbers: list[Number]) -> Iterator[Span]:
    """Bank account numbers: 4 to 19 digits right after an account word ("acct no. 1234"),
    7 to 19 a few words after one ("my account at Chase is 4046777401") or after a bank's name,
    or right after a routing number ("routing 022064642 and 4046777401")."""
    for number in numbers:
        if _is_account(context, number):
            yield number.start, number.end, "account"


def _ip_pins(context: Context, numbers: list[Number]) -> Iterator[Span]:
    """IRS Identity Protection PINs: 6 digits after "IP PIN", "identity protection pin" or "pin"
    ("my IP PIN is 483920"); 4 or 5 digits (other PINs) right after one ("PIN: 4821")."""
    for number in numbers:
        anchor = number.anchor
        if (
            anchor is not None
            and anchor.kind == "pin"
            and not anchor.after_number
            and (len(number.digits) == IP_PIN_DIGITS or (
                len(number.digits) in PIN_DIGITS and anchor.tight))
        ):
            yield number.start, number.end, "ip_pin"


_SSN_NOUN = (
    r"(?:ssn|ss\s?#|ss|social(?:\s+security)?(?:\s+(?:number|no|#))?|itin|tin"
    r"|taxpayer\s+id(?:entification)?(?:\s+number)?)"
)
# "first five 52243", "last 4 of my ssn is 3043", "middle two: 62", "ssn ... ends in 3043".
_SSN_PART_RE = re.compile(
    r"(?<![a-z])(?:(?P<first>(?:first|1st|initial)\s+(?P<first_count>five|5|three|3))"
    r"|(?P<middle>(?:middle|next)\s+(?:two|2))"
    r"|(?P<last>(?:last|final)\s+(?:four|4))"
    r"|(?P<starts>(?:starts?|starting|begins?|beginning)\s+with)"
    r"|(?P<ends>(?:ends?|ending)\s+(?:with|in)))"
    r"(?:\s+(?:digits?|numbers?|nums?))?"
    rf"(?:\s+(?:(?:of|on|in|from)(?:\s+(?:my|the|his|her|our|your|their))?\s+)?{_SSN_NOUN})?"
    r"[\s:=,\-]*(?:(?:is|are|was|were|would\s+be)(?![a-z])[\s:=,\-]*)*"
    r"(?P<digits>[0-9]{2,5}|[0-9](?:[ \-][0-9]){1,4})(?![0-9])"
)
_PART_COUNTS = {"first": (3, 5), "starts": (3, 5), "middle": (2,), "last": (4,), "ends": (4,)}
# An SSN printed masked but for its last four digits: XXX-XX-3043, ***-**-3043.
_MASKED_SSN_RE = re.compile(
    r"(?<![\w*#•])[x*#•]{3}[ \-]?[x*#•]{2}[ \-]?(?P<digits>[0-9](?:[ \-]?[0-9]){3})(?![0-9])"
)


def _ssn_word_before(context: Context, start: int) -> bool:
    index = bisect_right(context.keyword_ends, start) - 1
    while index >= 0 and start - context.keywords[index].end <= SSN_PHRASE_REACH:
        if context.keywords[index].kind == "ssn":
            return True
        index -= 1
    return False


def _ssn_parts(context: Context) -> Iterator[Span]:
    """Parts of an SSN: "last four 3043" and "XXX-XX-3043" are partial SSNs; with a first part
    in the same message ("first five 52243, last four 3043") every part counts as the SSN."""
    parts: list[tuple[int, int, str]] = []
    for match in _SSN_PART_RE.finditer(context.lowered):
        lead = next(name for name in _PART_COUNTS if match.group(name))
        if lead in ("starts", "ends") and not _ssn_word_before(context, match.start()):
            continue
        expected = _PART_COUNTS[lead]
        if lead == "first":
            expected = (5,) if match.group("first_count") in ("five", "5") else (3,)
        digits = list(DIGIT_RE.finditer(context.lowered, *match.span("digits")))
        fits = [count for count in expected if count <= len(digits)]
        one_by_one = not match.group("digits").isdigit()
        if len(digits) in expected or (fits and one_by_one):
            # as many digits as expected, or typed one by one with more after ("last four:
            # 9 2 2 6 1 November 2015")
            count = len(digits) if len(digits) in expected else max(fits)
            parts.append((digits[0].start(), digits[count - 1].end(), lead))
    leads = {lead for _, _, lead in parts}
    whole = bool(leads & {"first", "starts", "middle"}) and bool(leads & {"last", "ends"})
    for start, end, _ in parts:
        yield start, end, "ssn" if whole else "partial_ssn"
    for match in _MASKED_SSN_RE.finditer(context.lowered):
        yield match.start("digits"), match.end("digits"), "partial_ssn"


# Detectors of numbers, run on whole runs, then on the parts of runs where nothing was found.
_NUMBER_DETECTORS: tuple[Callable[[Context, list[Number]], Iterable[Span]], ...] = (
    _ssn_shaped,
    _ein_shaped,
    _nine_digits,
    _cards,
    _accounts,
    _ip_pins,
)
# Detectors of phrases, run once on the whole text.
_TEXT_DETECTORS: tuple[Callable[[Context], Iterable[Span]], ...] = (_ssn_parts,)


def detect_spans(context: Context) -> list[Span]:
    """Every span any detector finds, overlapping or not."""
    found = [span for detect in _TEXT_DETECTORS for span in detect(context)]
    whole = context.numbers
    found += [span for detect in _NUMBER_DETECTORS for span in detect(context, whole)]
    parts = context.parts(found)
    if parts:
        found += [span for detect in _NUMBER_DETECTORS for span in detect(context, parts)]
    return found
