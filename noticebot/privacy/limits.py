"""The limits the detectors work within: how far each kind of keyword reaches, how many digits
each kind of number has, and the years a number may read as."""

from __future__ import annotations

# How far (in characters, from its end to the number's start) each kind of keyword reaches.
# "bank" is a bank's name, "zip" a ZIP word or a state, "ref" a case, ticket, tracking or
# certified-mail word, "phone" a phone word, "other" a word that makes a number harmless
# (balance, owe, dated, notice, form, year...).
KEYWORD_REACH: dict[str, int] = {
    "ssn": 40,
    "ein": 40,
    "routing": 40,
    "account": 48,
    "bank": 40,
    "card": 40,
    "pin": 24,
    "zip": 16,
    "ref": 40,
    "phone": 40,
    "other": 32,
}
MAX_REACH = max(KEYWORD_REACH.values())
# How far back a "first five ... last four" or "ssn ... ends in" phrase looks for its SSN word.
SSN_PHRASE_REACH = 80

CARD_DIGITS = range(13, 20)  # card numbers are 13 to 19 digits long
ACCOUNT_DIGITS = range(4, 20)  # right after an account word ("acct # 1234-5678-90")
ACCOUNT_DIGITS_AFTER_WORDS = range(7, 20)  # a few words after one ("account at Chase is ...")
IP_PIN_DIGITS = 6
PIN_DIGITS = range(4, 7)  # right after a PIN word: other PINs have 4 or 5 digits
# USPS certified-mail and tracking numbers: their lengths, and how each length starts.
_IMPB = ("92", "93", "94", "95")
TRACKING_PREFIXES = {
    20: ("70", "71", *_IMPB), 22: ("70", "71", *_IMPB), 26: ("420", *_IMPB), 30: ("420",),
    34: ("420",),
}
TRACKING_DIGITS = tuple(TRACKING_PREFIXES)
MAX_NUMBER_DIGITS = max(CARD_DIGITS[-1], ACCOUNT_DIGITS[-1])  # longest part of a run looked at
MAX_PART_GROUPS = 24  # a longer run of groups is not split in parts
MIN_NUMBER_DIGITS = 4  # the fewest digits any detector of numbers looks at
# Four-digit groups read as tax years in a list ("unfiled years 2017 2018 2019 2020").
YEARS = range(1990, 2040)
DATE_YEARS = range(1900, 2100)
