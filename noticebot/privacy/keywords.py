"""The keywords that tell what a number is ("routing", "my ssn", "balance", a bank's name, a
state), found in a message, and the anchor a number gets from the nearest one before it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from noticebot.privacy.kinds import PLACEHOLDERS

_STATE_CODES = (  # ID, IN, ME, OK, OR and HI are left out: they are also words
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|IL|IA|KS|KY|LA|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
    "ND|OH|PA|PR|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"
)
_STATE_NAMES = (
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut",
    "delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas",
    "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota",
    "mississippi", "missouri", "montana", "nebraska", "nevada", "new hampshire", "new jersey",
    "new mexico", "new york", "north carolina", "north dakota", "ohio", "oklahoma", "oregon",
    "pennsylvania", "rhode island", "south carolina", "south dakota", "tennessee", "texas", "utah",
    "vermont", "virginia", "washington", "west virginia", "wisconsin", "wyoming", "puerto rico",
)
# The keywords of each kind, in lower case; a space stands for any run of white space. The
# longest phrase wins ("bank account" is an account word, "bank" alone a bank's name).
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "ssn": (
        "ssn", "ssns", "ss#", "ss #", "ss no", "ss num", "ss number", "soc sec", "soc sec #",
        "soc sec no", "soc sec number", "social", "social #", "social no", "social number",
        "social security", "social security #", "social security no", "social security num",
        "social security number", "itin", "itins", "tin", "tins", "taxpayer id",
        "taxpayer id number", "taxpayer identification", "taxpayer identification number",
        "taxpayer number", "tax payer id", "tax id", "tax id number",
    ),
    "ein": (
        "ein", "eins", "fein", "feins", "employer id", "employer id #", "employer id no",
        "employer id number", "employer identification", "employer identification number",
        "employer identification no", "business tax id", "business tax id number",
        "federal tax id", "federal tax id number",
    ),
    "routing": (
        "routing", "routing #", "routing no", "routing num", "routing number", "aba", "rtn",
        "transit", "transit number",
    ),
    "pin": (
        "identity protection pin", "identity protection personal identification number",
        "ip pin", "ip pins", "ippin", "ippins", "ip-pin", "ip-pins", "self select pin",
        "self-select pin", "pin", "pins",
    ),
    "account": (
        "bank account", "account", "accounts", "acct", "accnt", "acc", "a/c", "checking",
        "chequing", "savings", "iban",
    ),
    "bank": (
        "bank of america", "bofa", "chase", "wells fargo", "citi", "citibank", "pnc", "capital one",
        "td bank", "us bank", "truist", "usaa", "navy federal", "fifth third", "huntington",
        "credit union", "chime", "ally bank", "bank", "banks",
    ),
    # Not "debit" or "credit" alone: "the account they should debit", "tax credit".
    "card": (
        "credit card", "credit cards", "debit card", "debit cards", "card", "cards", "visa",
        "mastercard", "master card", "amex", "american express", "discover", "cc", "cvv", "cvc",
    ),
    "zip": ("zip", "zip code", "zipcode", "postal", "postal code", *_STATE_NAMES),
    "ref": (
        "case", "ticket", "reference", "ref", "confirmation", "conf", "dln", "submission",
        "submission id", "tracking", "track", "certified", "usps", "mail", "mailed", "mailing",
        "fedex", "ups", "article", "receipt", "control", "serial", "order", "invoice",
        "caller id", "employee id", "badge", "acknowledgement", "acknowledgment", "eft", "trace",
    ),
    "phone": (
        "phone", "phones", "cell", "cellphone", "mobile", "call", "called", "calling", "text",
        "fax", "tel", "telephone", "contact", "reach", "whatsapp", "ext", "extension", "dial",
        "dialed",
    ),
    "other": (
        "balance", "owe", "owed", "owes", "owing", "amount", "due", "total", "paid", "pay",
        "pays", "paying", "payment", "payments", "refund", "refunds", "penalty", "penalties",
        "interest", "dollar", "dollars", "usd", "bucks", "show", "shows", "says", "date", "dated",
        "dob", "born", "birthday", "birth", "opened", "closed", "notice", "notices", "letter",
        "letters", "form", "forms", "page", "line", "box", "schedule", "publication",
        "publications", "pub", "cp", "ltr", "irc", "section", "year", "years", "yr", "yrs",
    ),
}
_KEYWORD_KIND = {phrase: kind for kind, phrases in _KEYWORDS.items() for phrase in phrases}
# Keywords are looked for only where a word starting one begins (much faster than everywhere).
_WORD_RE = re.compile(r"[a-z]+")
_FIRST_WORDS = frozenset(_WORD_RE.match(phrase).group() for phrase in _KEYWORD_KIND)  # type: ignore[union-attr]
_KEYWORD_RE = re.compile(
    "(?:"
    + "|".join(
        r"\s+".join(re.escape(word) for word in phrase.split(" "))
        for phrase in sorted(_KEYWORD_KIND, key=len, reverse=True)
    )
    + r")(?![a-z])"
)
# State codes are also words ("OR", "IN"): they count only in capitals.
_STATE_CODES_SET = frozenset(_STATE_CODES.split("|"))
_CAPITALS_RE = re.compile(r"[A-Z]{2,}")
_PLACEHOLDER_RE = re.compile("|".join(re.escape(p.lower()) for p in PLACEHOLDERS.values()))
# Between an account (or PIN, ZIP...) word and its number: only "number", "no.", "#", "is"...
TIGHT_GAP_RE = re.compile(
    r"[\s:#=.,()\-]*(?:(?:numbers?|num|nbr|nos?|is|was|are|its|it's|ending\s+in|ends\s+in|code)"
    r"(?![a-z])[\s:#=.,()\-]*)*"
)
NUMBER_OR_PLACEHOLDER_RE = re.compile(r"[0-9]|" + _PLACEHOLDER_RE.pattern)
# A new sentence (". My phone is..."), though not after "no.", "acct." and the like.
SENTENCE_END_RE = re.compile(
    r"(?<!\b[Nn]o)(?<!\b[Nn]um)(?<!\b[Nn]br)(?<!\b[Aa]cct)(?<!\b[Aa]cc)(?<!\b[Ss]s)(?<!\b[Ss]oc)"
    r"(?<!\b[Ss]ec)[.!?]+\s+(?=[A-Z])"
)
# "... is my social", "... (my ssn)" right after a number.
SSN_AFTER_RE = re.compile(
    r"[\s,:=()\-]*(?:(?:is|was|my|the|his|her|our|their)(?![a-z])[\s,:=()\-]*)*"
    r"(?:ssn|ss#|social|itin)(?![a-z])"
)
# Keyword kinds after which nine digits in any grouping count; a number glued to one of
# SENSITIVE_WORDS is no code ("acct#1234", "PIN483920", "SSN923456781").
NINE_DIGIT_WORDS = ("ssn", "ein", "routing", "account", "bank")
SENSITIVE_WORDS = (*NINE_DIGIT_WORDS, "card", "pin")


@dataclass(frozen=True)
class Keyword:
    """A keyword found in the lower-cased text: where it is, and its kind."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Anchor:
    """The nearest keyword before a number, and what stands between them."""

    kind: str
    tight: bool  # only connector words between: "acct no. 1234", "IP PIN: 123456"
    after_number: bool  # another number (or placeholder) stands between: "routing 0220... and"


def find_keywords(text: str, lowered: str) -> list[Keyword]:
    """Every keyword, in order, but those inside our own placeholders."""
    placeholders = (
        [m.span() for m in _PLACEHOLDER_RE.finditer(lowered)] if "[" in lowered else []
    )
    found: list[Keyword] = []
    reached = 0
    for word in _WORD_RE.finditer(lowered):
        if word.start() >= reached and word.group() in _FIRST_WORDS:
            match = _KEYWORD_RE.match(lowered, word.start())
            if match:
                phrase = " ".join(match.group().split())
                found.append(Keyword(match.start(), match.end(), _KEYWORD_KIND[phrase]))
                reached = match.end()
    states = [
        Keyword(m.start(), m.end(), "zip")
        for m in _CAPITALS_RE.finditer(text)
        if m.group() in _STATE_CODES_SET
        and not (m.start() and text[m.start() - 1].isalpha())
        and not (m.end() < len(text) and text[m.end()].isalpha())
    ]
    if states:
        found = sorted(found + states, key=lambda keyword: keyword.start)
    if not placeholders:
        return found
    return [
        keyword for keyword in found
        if not any(start <= keyword.start < end for start, end in placeholders)
    ]
