"""The regular expressions the ingestion modules share: names, contact details, first
persons, figures and the sentence shapes the drop decisions look for."""

from __future__ import annotations

import re

# A capitalized word of a name ("Acme", "CuraDebt", "O'Neil", "Smith-Jones").
NAME_TOKEN = r"[A-Z][A-Za-z0-9'’]*(?:-[A-Za-z0-9]+)*"
# Up to five capitalized words, "&" allowed between them ("Doe & Roe").
NAME_RUN = rf"{NAME_TOKEN}(?:[ \t]+(?:&[ \t]+)?{NAME_TOKEN}){{0,4}}"
# A person's name: two or three capitalized words, an initial allowed ("Jane Q. Doe").
PERSON_NAME = (
    r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
    r"(?:[ \t]+(?:[A-Z]\.[ \t]+)?[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?){1,2}"
)

FOLD = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "\u00a0": " ",
    }
)
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u20e3\u200b\u200c\ufeff]"
)
PHONE_SAFETY_NET = (
    # 10 digits, optionally +1, in any grouping: (555) 010-0199, 555.010.0199, 5550100199.
    re.compile(r"(?<![\d\w])(?:\+?1[\s.-]*)?\(?\d{3}\)?[\s.-]*\d{3}[\s.-]*\d{4}(?!\d)"),
    # Toll-free vanity numbers: 1-800-TAX-HELP, (888) 555-HELP.
    re.compile(r"(?i)(?<!\w)(?:1[\s.-]*)?\(?8(?:00|33|44|55|66|77|88)\)?[\s.-]*[a-z0-9]{3}[.-][a-z0-9]{4}(?!\w)"),
    # "tel:" links and "Tel./Phone:" labels followed by digits.
    re.compile(r"(?i)\b(?:tel|phone|call)\s*[:.]\s*\+?[\d(]"),
)  # fmt: skip
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
FIRST_PERSON_PLURAL = re.compile(
    r"(?i:\b(?:we|our|ours|ourselves|let's|let’s)\b)|(?<![\w.])[Uu]s(?![\w.])"
)
FIRST_PERSON = re.compile(r"(?<![\w-])I(?![\w-])|(?i:\b(?:me|my|mine|myself)\b)")
QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"")
# An all-capitals abbreviation, maybe plural ("LITC", "LITCs"): an agency more often than a firm.
ACRONYM = re.compile(r"[A-Z]{2,6}s?")
LOWER_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’-]*")
# A word, for counting ("failure-to-pay", "CP14", "0.5%").
WORD = re.compile(r"[A-Za-z0-9$][\w$%.'’-]*")
# A figure worth keeping a short passage for: an amount, a rate, a span of time or a date.
FIGURE = re.compile(
    r"\$\s?\d|\d\s?%|\b\d+(?:[.,]\d+)?[\s-]*(?:calendar\s+|business\s+)?"
    r"(?:days?|weeks?|months?|years?)\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b",
    re.IGNORECASE,
)
# The end of a sentence after a form number ("Form 668-W. Next ..."), which the sentencizer
# takes for an initial.
FORM_END = re.compile(r"(?<=\d-[A-Z]\.)[ \t]+(?=[A-Z][a-z])")
# Words that point back at something said before ("these programs", "the above").
POINTS_BACK = re.compile(r"\b(?:these|those|the above)\b")
# A finite or modal verb: a sentence, not a picture's description ("A taxpayer reviewing ...").
FINITE_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|does|do|did|can|could|will|would|shall|should|"
    r"may|might|must|gets|get|got|needs|need|receives|received|owes|owe|pays|pay|files|file)\b"
)

