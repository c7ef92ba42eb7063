"""Canonical values of the spans the pipeline found: notice codes, forms, amounts, phone
numbers, e-mail addresses and names ("cp 504" -> "CP504", "Form 433f" -> "433-F",
"$12.4k" -> 12400.0, "(415) 555-0132" -> "+14155550132")."""

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from noticebot.nlp.recognizer.rules import DEFAULT_PHONE_REGION, load_rules, normalize

_CODE_RE = re.compile(
    r"""
    (?:(?P<word>notice|letter)s?\s*(?:\#|no\.?|num\.?|number)?\s*)?
    (?:(?P<prefix>cp|ltr|lt|l)\s*[-.\#:]?\s*)?
    (?P<num>\d{2,4})(?P<suffix>[a-z])?
    (?:\s*(?P<trail>notice|letter)s?)?
    """,
    re.VERBOSE,
)
_PLURAL_RE = re.compile(r"\ds\b")
_LEADING_FILLERS = re.compile(r"^(?:(?:the|irs|a|an|my|this|that|your)\s+)+")
YEAR_RE = re.compile(r"(?:199\d|20[0-3]\d)")

_FORM_WORD_RE = re.compile(r"^(?:irs\s+)?(?:forms?|f\.)\s*")
_FORM_RE = re.compile(r"(?P<prefix>f)?(?P<num>\d{2,5})\s*-?\s*(?P<suffix>[a-z]{1,2})?")
_FORM_668_RE = re.compile(r"668\s*-?\s*\(?y\)?\s*\(?c\)?")

_MONEY_RE = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<scale>[a-z]+(?:\s+[a-z]+)?)?"
)
_CURRENCY_PREFIX_RE = re.compile(r"^(?:us)?\$\s*")
_CURRENCY_SUFFIX_RE = re.compile(r"\s*\b(?:dollars?|usd|bucks)$")
_SMALL_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_LARGE_NUMBERS = {"thousand": 1_000, "million": 1_000_000}
_MAILTO_RE = re.compile(r"^mailto:", re.IGNORECASE)


def canonical_notice_code(text: str) -> str | None:
    """Canonical notice code of ``text`` ("cp 504" -> "CP504", "letter 1058" -> "LTR1058")."""
    rules = load_rules()
    phrase = _LEADING_FILLERS.sub("", normalize(text))
    if phrase in rules.code_phrases:
        return rules.code_phrases[phrase]
    match = _CODE_RE.fullmatch(phrase)
    if match is None:
        return None
    number = match["num"]
    suffix = (match["suffix"] or "").upper()
    if suffix == "S" and _PLURAL_RE.search(text):  # "two cp504s", but "CP71S" is a notice
        suffix = ""
    prefix = match["prefix"]
    if prefix is not None:
        return _prefixed_code(prefix, number, suffix)
    word = match["word"] or match["trail"]
    if word is None:
        return None  # a bare number is not a notice code
    if YEAR_RE.fullmatch(number) and number not in rules.cp_numbers:
        return None  # "the 2024 notice"
    if number in rules.lt_numbers:
        series = "LT"
    elif number in rules.ltr_numbers:
        series = "LTR"
    elif number in rules.cp_numbers:
        series = "CP"
    elif word == "letter":
        series = "LTR"
    else:
        return None  # "notice 1444": not a number of a known CP notice
    return f"{series}{number}{suffix}"


def _prefixed_code(prefix: str, number: str, suffix: str) -> str | None:
    """Code for an explicit series prefix; LT with 3+ digits and L are letters ("LT1058")."""
    if prefix == "cp":
        return f"CP{number}{suffix}"
    if prefix == "lt" and len(number) <= 2:
        return f"LT{number}{suffix}"
    if prefix == "l" and len(number) < 4:
        return None
    return f"LTR{number}{suffix}"


def canonical_form(text: str) -> str | None:
    """Canonical IRS form number ("Form 433f" -> "433-F", "12153" -> "12153"), else None."""
    rules = load_rules()
    phrase = normalize(text)
    without_word = _FORM_WORD_RE.sub("", phrase)
    has_word = without_word != phrase
    if _FORM_668_RE.fullmatch(without_word):
        return "668(Y)(c)"
    match = _FORM_RE.fullmatch(without_word)
    if match is None:
        return None
    code = match["num"] + (f"-{match['suffix'].upper()}" if match["suffix"] else "")
    if code in rules.known_forms or (has_word and match["prefix"] is None):
        return code
    return None


def parse_amount(text: str) -> float | None:
    """Money amount of ``text`` ("$12,400" -> 12400.0, "8 hundred" -> 800.0), else None."""
    phrase = _CURRENCY_PREFIX_RE.sub("", normalize(text))
    phrase = _CURRENCY_SUFFIX_RE.sub("", phrase).strip()
    match = _MONEY_RE.fullmatch(phrase)
    if match is None:
        words = _number_from_words(phrase)
        return float(words) if words else None
    scales = load_rules().scales
    scale = 1.0
    for word in (match["scale"] or "").split():  # "2 hundred thousand": both scales
        if word not in scales:
            return None
        scale *= scales[word]
    return round(float(match["num"].replace(",", "")) * scale, 2)


def _number_from_words(phrase: str) -> int | None:
    """Integer spelled in English words ("five hundred", "twenty-five"), else None."""
    words = [word for word in re.split(r"[\s-]+", phrase) if word and word != "and"]
    if words[:1] in (["a"], ["an"]):
        words = ["one", *words[1:]]
    total = current = 0
    for word in words:
        if word in _SMALL_NUMBERS:
            current += _SMALL_NUMBERS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _LARGE_NUMBERS:
            total += max(current, 1) * _LARGE_NUMBERS[word]
            current = 0
        else:
            return None
    return (total + current) or None


def canonical_phone(text: str, *, region: str = DEFAULT_PHONE_REGION) -> str | None:
    """E.164 form of a valid phone number ("(415) 555-0132" -> "+14155550132"), else None.

    A number without a leading + is read in ``region``; an impossible or unassigned one (an SSN,
    "555.123.4567") gives None.
    """
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def canonical_email(text: str) -> str | None:
    """Normalized e-mail address ("Jane@Gmail.COM" -> "Jane@gmail.com"), else None.

    ``email-validator`` checks the syntax only (no DNS look-up); "mailto:" is dropped.
    """
    address = _MAILTO_RE.sub("", text.strip())
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def canonical_name(text: str) -> str:
    """A name in title case ("jane doe" -> "Jane Doe"); a mixed-case word stays ("McDonald")."""
    return " ".join(
        word.title() if word.islower() or word.isupper() else word for word in text.split()
    )

