"""Privacy: SSNs, EINs, bank and card numbers are replaced before anything is stored or logged."""

from __future__ import annotations

import copy
import logging
import logging.config
import re
import subprocess
import sys
from typing import Any

import pytest

from noticebot.privacy import (
    PLACEHOLDERS,
    REDACTION_KINDS,
    RedactingLogFilter,
    Redaction,
    contains_sensitive_number,
    redact,
    redact_data,
    redact_text,
)

SSN = PLACEHOLDERS["ssn"]
EIN = PLACEHOLDERS["ein"]
ROUTING = PLACEHOLDERS["routing"]
ACCOUNT = PLACEHOLDERS["account"]
CARD = PLACEHOLDERS["card"]
IP_PIN = PLACEHOLDERS["ip_pin"]
PARTIAL_SSN = PLACEHOLDERS["partial_ssn"]

# (typed text, stored text, kinds found)
SSN_CASES = [
    ("my ssn is 123-45-6789", f"my ssn is {SSN}", ("ssn",)),
    ("123 45 6789", SSN, ("ssn",)),
    ("it's 123.45.6789 ok", f"it's {SSN} ok", ("ssn",)),
    ("ITIN 912-78-1234", f"ITIN {SSN}", ("ssn",)),
    ("itin: 912 78 1234.", f"itin: {SSN}.", ("ssn",)),
]
NINE_DIGIT_CASES = [
    ("123456789", SSN, ("ssn",)),
    ("my number is 123456789, thanks", f"my number is {SSN}, thanks", ("ssn",)),
    ("routing number 123456789", f"routing number {ROUTING}", ("routing",)),
    ("ABA 123456789", f"ABA {ROUTING}", ("routing",)),
    ("RTN: 123456789", f"RTN: {ROUTING}", ("routing",)),
    ("021000021", ROUTING, ("routing",)),  # passes the ABA checksum
    ("my ssn is 021000021", f"my ssn is {SSN}", ("ssn",)),
    ("021000021 is my social", f"{SSN} is my social", ("ssn",)),
    ("taxpayer id 011000015", f"taxpayer id {SSN}", ("ssn",)),
]
EIN_CASES = [
    ("EIN 12-3456789", f"EIN {EIN}", ("ein",)),
    ("our ein is 12 3456789.", f"our ein is {EIN}.", ("ein",)),
]
ACCOUNT_CASES = [
    ("account number 000123456789", f"account number {ACCOUNT}", ("account",)),
    ("acct # 4455667788", f"acct # {ACCOUNT}", ("account",)),
    ("acct#4455667788", f"acct#{ACCOUNT}", ("account",)),
    ("my checking account is 987654321012", f"my checking account is {ACCOUNT}", ("account",)),
    ("savings acct no. 1234-5678-90", f"savings acct no. {ACCOUNT}", ("account",)),
    ("a/c: 55667788", f"a/c: {ACCOUNT}", ("account",)),
    ("Account Num 1234 5678", f"Account Num {ACCOUNT}", ("account",)),
    ("checking 987654321", f"checking {ACCOUNT}", ("account",)),
    ("account number 2025550143", f"account number {ACCOUNT}", ("account",)),
    ("account 4111111111111112", f"account {ACCOUNT}", ("account",)),  # fails Luhn
    ("account: 6221260000000000002", f"account: {ACCOUNT}", ("account",)),  # 19, fails Luhn
]
CARD_CASES = [
    ("4111 1111 1111 1111", CARD, ("card",)),
    ("card 4111-1111-1111-1111 exp 12/28", f"card {CARD} exp 12/28", ("card",)),
    ("378282246310005", CARD, ("card",)),
    ("amex 3782 822463 10005", f"amex {CARD}", ("card",)),
    ("5555555555554444", CARD, ("card",)),
    ("4222222222222", CARD, ("card",)),  # 13 digits
    ("6221260000000000001", CARD, ("card",)),  # 19 digits
    ("card 4111 1111 1111 1111 2026", f"card {CARD} 2026", ("card",)),
    # One typo (fails Luhn) is still a card in 4-4-4-4 groups; this was kept before.
    ("4111 1111 1111 1112", CARD, ("card",)),
]
SEVERAL_CASES = [
    (
        "ssn 123-45-6789, card 4111111111111111, ssn again 987-65-4321",
        f"ssn {SSN}, card {CARD}, ssn again {SSN}",
        ("ssn", "card"),
    ),
    (
        "routing 021000021 and my ssn 123456789",
        f"routing {ROUTING} and my ssn {SSN}",
        ("routing", "ssn"),
    ),
    (
        "EIN 12-3456789; routing number 021000021; account number 000123456789",
        f"EIN {EIN}; routing number {ROUTING}; account number {ACCOUNT}",
        ("ein", "routing", "account"),
    ),
]
# Written the way people type or paste them: the replacement covers the original characters
# (full-width, zero-width, spelled) and nothing else.
VARIANT_CASES = [
    ("ssn ２３６－６２\u200b－４５８８ ok", f"ssn {SSN} ok", ("ssn",)),
    ("my ssn is 236\u00a062\u00a04588.", f"my ssn is {SSN}.", ("ssn",)),
    ("236--62 4588", SSN, ("ssn",)),
    ("my ssn is two three six six two four five eight eight, thanks",
     f"my ssn is {SSN}, thanks", ("ssn",)),
    ("2 3 6 6 2 4 5 8 8", SSN, ("ssn",)),
    ("first five 52243, last four 3043", f"first five {SSN}, last four {SSN}", ("ssn",)),
    ("EIN 12\u20133456789", f"EIN {EIN}", ("ein",)),
    ("routing 0220 6464 2", f"routing {ROUTING}", ("routing",)),
    ("my account at Chase is 4046777401", f"my account at Chase is {ACCOUNT}", ("account",)),
    ("routing 021000021 and 4046777401", f"routing {ROUTING} and {ACCOUNT}",
     ("routing", "account")),
    ("card 4111.1111.1111.1111", f"card {CARD}", ("card",)),
    ("my IP PIN is 483920", f"my IP PIN is {IP_PIN}", ("ip_pin",)),
    ("last 4 of my ssn is 3043", f"last 4 of my ssn is {PARTIAL_SSN}", ("partial_ssn",)),
    ("SSN XXX-XX-3043", f"SSN XXX-XX-{PARTIAL_SSN}", ("partial_ssn",)),
]
REDACT_CASES = (
    SSN_CASES + NINE_DIGIT_CASES + EIN_CASES + ACCOUNT_CASES + CARD_CASES + SEVERAL_CASES
    + VARIANT_CASES
)

KEPT = [
    "$12,400",
    "$12,400.00",
    "12400 dollars",
    "12.4k",
    "$1,234,567.89",
    "$123456789",
    "$ 123456789",
    "123456789.00",
    "123,456,789",
    "2026-11-02",
    "11/02/2026",
    "November 2, 2026",
    "dated 3/3",
    "CP504",
    "LT11",
    "Letter 1058",
    "CP 2000",
    "form 9465",
    "433-F",
    "2023 and 2024",
    "(202) 555-0143",
    "202-555-0143",
    "202.555.0143",
    "+1 202 555 0143",
    "2025550143",
    "+12025550143",
    "1-202-555-0143",
    "call me at 2025550143 about my account",
    "20001",
    "20001-1234",
    "after 5pm",
    "9:30",
    "jane.doe@example.com",
    "my account balance is 12400",
    "my account is $12,400",
    "IRS online account",
    "reference 4111111111111112",  # 16 digits failing Luhn, no account keyword
    "I got CP504 dated 11/02/2026 for $12,400.00 for 2023 and 2024; call 202-555-0143",
    "unfiled years 2017 2018 2019 2020",
    "certified mail 9407 1118 9876 5432 1012 34",
    "USPS 7019 2280 0001 2345 6789",
    "Los Angeles, CA 900123456",
    "zip 900123456",
    "call me at (555) 555-0100",
    "20261109",
    "LTR1058",
    "form 12153",
    "IP PIN for 2025",
    "https://www.irs.gov/payments/20181204014157",
    "[SSN removed]",
]


def cases(table: list[tuple[str, str, tuple[str, ...]]]) -> Any:
    """Parametrize a (text, expected, kinds) table with the text as id."""
    return pytest.mark.parametrize(("text", "expected", "kinds"), table, ids=[c[0] for c in table])


@cases(SSN_CASES)
def test_formatted_ssn_and_itin_are_redacted(text: str, expected: str, kinds: tuple[str]) -> None:
    assert redact(text) == Redaction(expected, kinds)


@cases(NINE_DIGIT_CASES)
def test_bare_nine_digits_are_redacted_as_ssn_or_routing(
    text: str, expected: str, kinds: tuple[str]
) -> None:
    assert redact(text) == Redaction(expected, kinds)


@cases(EIN_CASES)
def test_ein_is_redacted(text: str, expected: str, kinds: tuple[str]) -> None:
    assert redact(text) == Redaction(expected, kinds)


@cases(ACCOUNT_CASES)
def test_numbers_after_an_account_keyword_are_redacted(
    text: str, expected: str, kinds: tuple[str]
) -> None:
    assert redact(text) == Redaction(expected, kinds)


@cases(CARD_CASES)
def test_luhn_valid_card_numbers_are_redacted(text: str, expected: str, kinds: tuple[str]) -> None:
    assert redact(text) == Redaction(expected, kinds)


@cases(VARIANT_CASES)
def test_numbers_typed_or_pasted_in_other_ways_are_redacted(
    text: str, expected: str, kinds: tuple[str]
) -> None:
    assert redact(text) == Redaction(expected, kinds)


@cases(SEVERAL_CASES)
def test_several_numbers_are_all_redacted_in_first_seen_order(
    text: str, expected: str, kinds: tuple[str]
) -> None:
    assert redact(text) == Redaction(expected, kinds)


@pytest.mark.parametrize("text", KEPT)
def test_harmless_numbers_are_kept_exactly(text: str) -> None:
    assert redact(text) == Redaction(text, ())


@pytest.mark.parametrize("text", [c[0] for c in REDACT_CASES] + KEPT)
def test_redacting_twice_changes_nothing_more(text: str) -> None:
    once = redact(text).text
    assert redact(once) == Redaction(once, ())


@pytest.mark.parametrize(("text", "found"), [("ssn 123-45-6789", True), ("CP504 $12,400", False)])
def test_found_tells_whether_anything_was_redacted(text: str, found: bool) -> None:
    assert redact(text).found is found


@pytest.mark.parametrize(("text", "found"), [("ssn 123-45-6789", True), ("CP504 $12,400", False)])
def test_contains_sensitive_number(text: str, found: bool) -> None:
    assert contains_sensitive_number(text) is found


@pytest.mark.parametrize("text", ["card 4111111111111111", "$12,400"])
def test_redact_text_is_the_redacted_text(text: str) -> None:
    assert redact_text(text) == redact(text).text


def test_every_kind_has_a_digit_free_placeholder() -> None:
    assert set(PLACEHOLDERS) == set(REDACTION_KINDS)
    assert not any(re.search(r"\d", p) for p in PLACEHOLDERS.values())


def user_event() -> dict[str, Any]:
    """A Rasa UserUttered event dict carrying an SSN in several places."""
    return {
        "event": "user",
        "timestamp": 1700000000.5,
        "text": "my ssn is 123-45-6789",
        "parse_data": {
            "text": "my ssn is 123-45-6789",
            "intent": {"name": "inform", "confidence": 0.98},
            "entities": [{"entity": "ssn", "value": "123-45-6789", "start": 10, "end": 21}],
        },
        "metadata": {"history": ("card 4111111111111111", None, True)},
    }


def test_redact_data_redacts_every_nested_string() -> None:
    redacted = redact_data(user_event())
    assert redacted == {
        "event": "user",
        "timestamp": 1700000000.5,
        "text": f"my ssn is {SSN}",
        "parse_data": {
            "text": f"my ssn is {SSN}",
            "intent": {"name": "inform", "confidence": 0.98},
            "entities": [{"entity": "ssn", "value": SSN, "start": 10, "end": 21}],
        },
        "metadata": {"history": (f"card {CARD}", None, True)},
    }


def test_redact_data_leaves_the_input_unchanged() -> None:
    event = user_event()
    before = copy.deepcopy(event)
    redact_data(event)
    assert event == before


def test_redact_data_leaves_keys_untouched() -> None:
    assert redact_data({"123-45-6789": "123-45-6789"}) == {"123-45-6789": SSN}


def log_record(msg: str, args: tuple[Any, ...], exc_text: str | None = None) -> logging.LogRecord:
    """A log record as a logger would build it."""
    record = logging.LogRecord("noticebot", logging.INFO, __file__, 1, msg, args, None)
    record.exc_text = exc_text
    return record


def test_log_filter_redacts_the_formatted_message() -> None:
    record = log_record("got %s", ("123-45-6789",))
    RedactingLogFilter().filter(record)
    assert (record.getMessage(), record.args) == (f"got {SSN}", None)


def test_log_filter_keeps_every_record() -> None:
    assert RedactingLogFilter().filter(log_record("got %s", ("123-45-6789",))) is True


def test_log_filter_redacts_exception_text() -> None:
    record = log_record("failed", (), exc_text="ValueError: bad ssn 123-45-6789")
    RedactingLogFilter().filter(record)
    assert record.exc_text == f"ValueError: bad ssn {SSN}"


def test_log_filter_redacts_a_traceback_not_yet_formatted() -> None:
    try:
        raise ValueError("bad ssn 123-45-6789")
    except ValueError:
        record = logging.LogRecord(
            "noticebot", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    RedactingLogFilter().filter(record)
    assert "123-45-6789" not in logging.Formatter().format(record)


def test_log_filter_survives_bad_format_arguments() -> None:
    record = log_record("got %s %s", ("123-45-6789",))
    assert RedactingLogFilter().filter(record) is True
    assert "123-45-6789" not in f"{record.msg} {record.args}"


DICT_CONFIG_SCRIPT = """
import logging, logging.config, sys
logging.config.dictConfig({
    "version": 1,
    "filters": {"redact": {"()": "noticebot.privacy.RedactingLogFilter"}},
    "formatters": {"plain": {"format": "%(message)s"}},
    "handlers": {"out": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                         "filters": ["redact"], "formatter": "plain"}},
    "root": {"handlers": ["out"], "level": "INFO"},
})
logging.getLogger("noticebot").info("card %s", "4111 1111 1111 1111")
"""


def test_log_filter_works_from_dict_config() -> None:
    # A separate interpreter, so the global logging setup of this test run stays untouched.
    result = subprocess.run(
        [sys.executable, "-c", DICT_CONFIG_SCRIPT], capture_output=True, text=True, check=True
    )
    assert result.stdout == f"card {CARD}\n"
