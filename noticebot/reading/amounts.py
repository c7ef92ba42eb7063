"""Which number of a message is the balance, which one a monthly payment, which ones tax years.

People write the balance many ways: "$12,480", "12k", "says 14,233", "cp14 nov 12. 1,870."; the
recognizer finds the ones with a currency mark or a word like "owe", and this module adds the
money-shaped numbers it leaves (grouped by commas, with cents, or a plain number right after
"says", "for", "balance"...). Each candidate is then weighed by the words around it: "owe",
"balance", "says" make it the balance; "paid", "can pay", "make", "in the bank" make it
something else; "a month" makes it a monthly payment. The best-weighed candidate wins, the
latest one on a tie (a newer notice's figure replaces an older one: "went from 6,210 to 6,388").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from noticebot.nlp import Mention

YEAR_RE = re.compile(r"(?<![\d$,.])(?:19[89]\d|20[0-3]\d)(?!\d|,\d|\.\d|k\b)")
_RANGE_RE = re.compile(
    r"(?<!\d)(?P<first>19[89]\d|20[0-3]\d)\s*(?:-|–|to|through|thru)\s*"
    r"(?P<last>19[89]\d|20[0-3]\d)(?!\d)"
)
_YEAR_BEFORE_RE = re.compile(
    r"(?:tax years?|years?|yrs?|for|from|of|tax|filed|file|unfiled|return|returns|and|&|"
    r"through|thru|to|q[1-4]|quarter)\W{0,3}"
    r"(?:(?:19[89]\d|20[0-3]\d)\W{1,6}(?:and\W{1,3}|&\W{1,3}|to\W{1,3})?)*$"
)
_YEAR_AFTER_RE = re.compile(
    r"^(?:\W{0,3}(?:and|&|to|-|through|thru)?\W{0,3}(?:19[89]\d|20[0-3]\d))*"
    r"\W{0,3}(?:tax|taxes|return|returns|balance|bill|year|income|1040|w-?2|1099)\b"
)
_YEAR_LIST_RE = re.compile(
    r"^\W{1,6}(?:(?:and|&|to|through|thru)\W{1,3})?(?:19[89]\d|20[0-3]\d)"
)

# A money-shaped number the recognizer may have left: grouped, with cents, or plain.
_NUMBER_RE = re.compile(
    r"(?<![\w.,/#:-])\$?\s?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+\.\d{2}|\d{3,7})"
    r"(?P<k>k)?(?!\w|/\d|,\d|\.\d|-\d)"
)
_MONTHLY_AFTER_RE = re.compile(
    r"^\s*(?:(?:/|a|per|each|every|an?)\s*(?:month|mo|mth)\b|monthly\b|/m\b|a\s+mo\b)"
)
# Words after a number that make it something else than money.
_NOT_MONEY_AFTER_RE = re.compile(
    r"^\s*(?:days?|weeks?|months?|years?|yrs?|hours?|kids?|children|people|employees|"
    r"letters?|notices?|times|calls?|minutes|miles|percent|%|sq|square|taxes|tax|form|forms|"
    r"payroll|return|returns|quarter|th\b|st\b|nd\b|rd\b)"
)
_NOT_MONEY_BEFORE_RE = re.compile(
    r"(?:form|forms|notice|letter|cp|lt|ltr|zip|#|no\.|number|code|pin|box|line|apt|suite|"
    r"unit|route|highway|room|model|year|years|tax year|in|since|from|until)\s*$"
)
# Words before a plain number (no comma, no "$") that make it money.
_PLAIN_MONEY_BEFORE_RE = re.compile(
    r"(?:says|said|for|of|is|was|balance|owe|owed|due|total|amount|its|it's|about|around|"
    r"like|over|nearly|almost|same|now|paid|pay|sent|still|shows|showing|demanding|want|wants"
    r"|claims|to)\W{0,3}$"
)
# Words in front of a number (the last few of its clause) that make it the balance, or not.
_BALANCE_WORDS = frozenset({
    "owe", "owed", "owes", "owing", "balance", "bill", "due", "says", "said", "say", "total",
    "debt", "amount", "wants", "want", "claims", "claim", "demanding", "shows", "showing",
    "left", "remaining", "proposing", "proposes", "proposed", "for", "same", "assessed",
    "saying", "now",
})
_OTHER_WORDS = frozenset({
    "paid", "sent", "payment", "payments", "refund", "withheld", "earn", "earned", "earns",
    "make", "made", "makes", "income", "salary", "savings", "saved", "cashed", "distribution",
    "withdrew", "rent", "mortgage", "took", "taken", "seized", "levied", "garnished", "gross",
    "net", "reported", "report", "unreported", "cleared", "deposited", "deposit", "pension",
    "paycheck", "check", "worth", "costs", "cost", "charged", "spent", "borrowed", "loan",
})
_MODALS = frozenset({"can", "could", "able", "will", "would", "only", "maybe", "afford", "cant",
                     "cannot", "try", "plan", "gonna", "going"})
_PAY_WORDS = frozenset({"pay", "afford", "do", "swing", "manage", "send", "cover", "put"})
_NEGATIONS = frozenset({"dont", "don't", "not", "never", "doesnt", "doesn't", "no"})
_CLAUSE_END_RE = re.compile(r"[.!?;\n]")
_NOT_BALANCE_AFTER_RE = re.compile(
    r"^\s*(?:in the bank|in savings|saved|a year|per year|/yr|annually|salary|income|"
    r"of it|now and|up front|upfront|down\b|distribution|withdrawal|rollover|refund|"
    r"gross|net\b|gone|out of|from my|from our|off my|off our|of that|of it|of (?:the )?penalt|"
    r"of (?:the )?interest|in bitcoin|in gift|in crypto|in itunes|by wire)"
    r"|^\s+(?:i|we) (?:paid|sent|made|mailed|already paid)"
)
_ALONE_BEFORE_RE = re.compile(r"(?:^|[.!?:\n]\s*|,\s*)$")
_ALONE_AFTER_RE = re.compile(r"^\s*(?:[.!?,]|$)")
_FORM_NUMBERS = {"941", "940", "1040", "1099", "433", "656", "843", "911", "943", "944", "945",
                 "9465", "12153", "9423", "2848", "8821", "8857", "1065", "1120"}


@dataclass(frozen=True)
class Candidate:
    """A number that may be the balance: its value, where it is, how sure it is money."""

    value: float
    start: int
    end: int


def is_year_amount(text: str) -> bool:
    """A bare year ("2022") written where an amount could be."""
    return bool(re.fullmatch(r"(?:19[89]\d|20[0-3]\d)", text.strip()))


def _candidates(text: str, mentions: Sequence[Mention]) -> list[Candidate]:
    found: list[Candidate] = []
    lowered = text.lower()
    for mention in mentions:
        if mention.label != "amount" or not isinstance(mention.value, int | float):
            continue
        written = text[mention.start : mention.end]
        if is_year_amount(written.lstrip("$ ")) and "$" not in written:
            continue
        if written.strip() in _FORM_NUMBERS and _NOT_MONEY_AFTER_RE.search(
            lowered[mention.end : mention.end + 12]
        ):
            continue
        found.append(Candidate(float(mention.value), mention.start, mention.end))
    taken = [(m.start, m.end) for m in mentions]
    for match in _NUMBER_RE.finditer(lowered):
        if any(start < match.end() and match.start() < end for start, end in taken):
            continue
        number = match["number"]
        plain = "," not in number and "." not in number and "$" not in match.group(0)
        if plain and is_year_amount(number):
            continue
        before = lowered[max(0, match.start() - 24) : match.start()]
        after = lowered[match.end() : match.end() + 16]
        if _NOT_MONEY_AFTER_RE.search(after) or _NOT_MONEY_BEFORE_RE.search(before):
            continue
        if match["k"] and number in ("401", "403", "457"):
            continue  # a retirement plan, not 401,000 dollars
        alone = _ALONE_BEFORE_RE.search(before) and _ALONE_AFTER_RE.search(after)
        if plain and not match["k"] and not (
            alone or _PLAIN_MONEY_BEFORE_RE.search(before) or _MONTHLY_AFTER_RE.search(after)
        ):
            continue
        value = float(number.replace(",", "")) * (1000 if match["k"] else 1)
        found.append(Candidate(value, match.start(), match.end()))
    return sorted(found, key=lambda c: c.start)


def _words_before(lowered: str, start: int) -> list[str]:
    """The words of the number's clause in front of it, last one last."""
    before = lowered[max(0, start - 60) : start]
    ends = list(_CLAUSE_END_RE.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    return re.findall(r"[a-z']+", before)


def _weight(candidate: Candidate, lowered: str) -> int:
    """How much the words around ``candidate`` make it the balance (negative: not it)."""
    words = _words_before(lowered, candidate.start)
    last3, last5 = words[-3:], words[-5:]
    weight = 0
    if any(word in _BALANCE_WORDS for word in last5):
        weight += 2
    if words and (
        words[-1] in ("than", "above", "below", "exceeds", "exceed")
        or (
            words[-1] in ("over", "under")
            and candidate.value % 1000 == 0
            and not (len(words) >= 2 and words[-2] in ("little", "bit", "just", "slightly"))
        )
    ):
        weight -= 5  # "its over 50k": a bound, not the balance
    if len(words) >= 2 and words[-2] in ("owing", "owed", "owes", "owe") and words[-1] in (
        "me", "us"
    ):
        weight -= 5  # "a client went bankrupt owing me 11k"
    other = any(word in _OTHER_WORDS for word in words[-2:])
    can_pay = any(
        word in _PAY_WORDS and any(w in _MODALS for w in last3[:i]) for i, word in enumerate(last3)
    )
    have = bool(last3) and last3[-1] in ("have", "has", "got") and not (
        len(last3) > 1 and last3[-2] in _NEGATIONS
    )
    if other or can_pay or have:
        weight -= 3
    if _NOT_BALANCE_AFTER_RE.search(lowered[candidate.end : candidate.end + 20]):
        weight -= 3
    return weight


# Words in front of a monthly amount that make it what the person could pay (not a plan's
# payment, an income or a demand).
_CAPACITY_WORDS = frozenset({"can", "could", "able", "afford", "offer", "manage", "swing",
                             "maybe", "probably", "willing", "do", "only", "about", "around"})
_NOT_CAPACITY_WORDS = frozenset({"get", "gets", "make", "makes", "earn", "earns", "income",
                                 "rent", "wants", "want", "plan", "at", "was", "paying", "is",
                                 "are", "were", "receive", "bring", "takes", "take", "pension",
                                 "security", "disability", "benefits", "ssi", "ssdi", "salary"})


def _is_capacity(candidate: Candidate, lowered: str) -> bool:
    words = _words_before(lowered, candidate.start)[-4:]
    if any(word in _NOT_CAPACITY_WORDS for word in words[-2:]):
        return False
    return any(word in _CAPACITY_WORDS for word in words)


def balance_and_monthly(
    text: str, mentions: Sequence[Mention]
) -> tuple[float | None, float | None]:
    """(the balance, a monthly payment) among the numbers of the message."""
    lowered = text.lower()
    balance: tuple[int, int, float] | None = None
    monthly: float | None = None
    cued: list[Candidate] = []
    for candidate in _candidates(text, mentions):
        if _MONTHLY_AFTER_RE.search(lowered[candidate.end : candidate.end + 16]):
            if _is_capacity(candidate, lowered):
                monthly = candidate.value
            continue
        weight = _weight(candidate, lowered)
        if weight < 0:
            continue
        if weight >= 2:
            cued.append(candidate)
        key = (weight, candidate.start, candidate.value)
        if balance is None or key[:2] > balance[:2]:
            balance = key
    if _separate_balances(cued, lowered, years=len(tax_years(text, mentions))):
        return None, monthly
    return (balance[2] if balance else None), monthly


# Between two figures of one sentence: words that make the second replace the first.
_REPLACING_RE = re.compile(r"\b(?:total|totals|now|went|to|latest|newest|then|up to|grew)\b")


def _separate_balances(cued: Sequence[Candidate], lowered: str, *, years: int) -> bool:
    """Two separate balances, no single one to keep: different figures for different tax
    years, or two figures cued as balances in one sentence ("the personal one is 7,300, the
    business one is 22,800") with nothing saying one replaces the other. A list of notices
    with their dates ("a CP501 dated 10/26 saying 3,962, a CP503 dated 11/30 saying 4,020") is
    one debt growing: the newest figure is kept."""
    if years >= 2 and len({c.value for c in cued}) >= 2:
        return True
    for first, second in itertools.pairwise(cued):
        if first.value == second.value:
            continue
        between = lowered[first.end : second.start]
        if _CLAUSE_END_RE.search(between) or _REPLACING_RE.search(between):
            continue
        if "dated" in between:
            continue
        if _REPLACING_RE.search(lowered[max(0, first.start - 30) : first.start]):
            continue
        return True
    return False


_IN_YEAR_RE = re.compile(r"\b(?:in|during|for all of|back in|throughout)\s*$")
_NOT_TAX_EVENT_RE = re.compile(
    r"\b(?:filed|file|divorced|married|moved in|bought|born)\b[\s\w,]{0,12}$"
)
_TAX_ACTIVITY_RE = re.compile(
    r"\b(?:income|sold|sale|cashed|earned|taxes|tax|941|940|1099|w-?2|annuity|distribution|"
    r"deposits|rollover|contracts?|uber|lyft|instacart|doordash|crypto|quarterly|withdrew|"
    r"401k|ira|gig|self[- ]employed|wages|business|moved my|took out|owed|owe)\b"
)


def _in_a_tax_year(lowered: str, start: int, end: int) -> bool:
    """ "in 2023" about income or taxes earned that year ("sold crypto in 2023")."""
    before = lowered[max(0, start - 20) : start]
    if not _IN_YEAR_RE.search(before):
        return False
    if _NOT_TAX_EVENT_RE.search(lowered[max(0, start - 40) : start]):
        return False
    sentence_start = max((m.end() for m in _CLAUSE_END_RE.finditer(lowered[:start])), default=0)
    found = _CLAUSE_END_RE.search(lowered, end)
    sentence = lowered[sentence_start : found.start() if found else len(lowered)]
    return bool(_TAX_ACTIVITY_RE.search(sentence))


def tax_years(text: str, mentions: Sequence[Mention]) -> tuple[int, ...]:
    """Tax years named ("for 2022", "2021 and 2022 taxes", "tax year 2023")."""
    found: list[int] = []
    lowered = text.lower()
    for match in YEAR_RE.finditer(lowered):
        inside = any(
            m.start <= match.start() < m.end and m.label in ("date", "notice_code", "form")
            for m in mentions
        )
        if inside:
            continue
        before = lowered[max(0, match.start() - 40) : match.start()]
        after = lowered[match.end() : match.end() + 30]
        if (
            _YEAR_BEFORE_RE.search(before)
            or _YEAR_AFTER_RE.search(after)
            or _YEAR_LIST_RE.search(after)
            or _in_a_tax_year(lowered, match.start(), match.end())
        ):
            year = int(match.group(0))
            if year not in found:
                found.append(year)
    for match in _RANGE_RE.finditer(lowered):
        first, last = int(match["first"]), int(match["last"])
        if first in found and last in found and 0 < last - first <= 10:
            found.extend(range(first + 1, last))
    return tuple(sorted(set(found)))
