"""The spaCy pipeline: a blank English tokenizer tuned for notice codes, amounts and
e-mail addresses, the entity ruler, the lemmatizer, the entity filter and the name
finder."""

import logging
import re
from collections.abc import Callable

import spacy
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_suffix_regex

from noticebot.nlp.recognizer.filter import FILTER_NAME, amount_trigger_words
from noticebot.nlp.recognizer.names import NAME_FINDER_NAME, contact_name_config
from noticebot.nlp.recognizer.patterns import ruler_patterns
from noticebot.nlp.recognizer.rules import load_rules

# The package's logger (the name it had as one module).
logger = logging.getLogger("noticebot.nlp.recognizer")

# A period after a code's letter suffix ("CP504B.") ends the sentence.
_CODE_LETTER_PERIOD_SUFFIX = r"(?<=\d[A-Za-z])\."
# Split "cp504.i" and "$5,000.thanks" after the number (typed without a space).
_DIGIT_PUNCT_LETTER_INFIX = r"(?<=[0-9])[.,](?=[A-Za-z])"
# Split ranges of scaled amounts: "3k-4k" -> "3k", "-", "4k"; "$3k-$4k" -> ..., "-", "$", "4k".
_SCALED_RANGE_INFIXES = (
    r"(?<=[0-9][kKmM])[-–](?=\$?[0-9])",
    r"(?<=[0-9][kKmM][-–])\$(?=[0-9])",
)
# ...which spaCy's URL matcher would otherwise keep whole, as if "504.is" were a domain.
_RUN_ON_AFTER_NUMBER = re.compile(r"[a-z]*\d+[.,][a-z]+", re.IGNORECASE)
# An e-mail address stays one token, whatever its case ("Jane.Doe@Gmail.COM" would otherwise split
# at ".D" like two sentences); a period after it is still split off.
_EMAIL_TOKEN_RE = re.compile(r"(?:mailto:)?[\w.%+'-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# Tokenizer exceptions "a." to "z." keep "433-a." from splitting its final period.
_SINGLE_LETTER_DOT = re.compile(r"[a-zA-Z]\.")


def _tune_tokenizer(nlp: Language) -> None:
    """Split "cp504.i" run-ons and "3k-4k" ranges; keep e-mail addresses and "433-a." whole."""
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        raise TypeError(f"expected spaCy's Tokenizer, got {type(tokenizer).__name__}")
    infixes = [*(nlp.Defaults.infixes or []), _DIGIT_PUNCT_LETTER_INFIX, *_SCALED_RANGE_INFIXES]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # "CP504B." and "CP508C." at the end of a sentence: the period is not part of the code
    # (spaCy keeps a period after a capital letter, as in "U.S.").
    suffixes = [*(nlp.Defaults.suffixes or []), _CODE_LETTER_PERIOD_SUFFIX]
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    tokenizer.token_match = _email_or(tokenizer.token_match)
    url_match = tokenizer.url_match
    if url_match is not None:
        tokenizer.url_match = _url_match_except_run_ons(url_match)
    tokenizer.rules = {
        orth: attrs
        for orth, attrs in (tokenizer.rules or {}).items()
        if not _SINGLE_LETTER_DOT.fullmatch(orth)
    }


def _email_or(
    token_match: Callable[[str], re.Match[str] | None] | None,
) -> Callable[[str], re.Match[str] | None]:
    """A token matcher that keeps an e-mail address whole, else asks ``token_match``."""

    def match(text: str) -> re.Match[str] | None:
        email = _EMAIL_TOKEN_RE.fullmatch(text)
        if email is not None or token_match is None:
            return email
        return token_match(text)

    return match


def _url_match_except_run_ons(
    url_match: Callable[[str], re.Match[str] | None],
) -> Callable[[str], re.Match[str] | None]:
    """spaCy's URL matcher, except for "cp504.is"-style run-ons (not URLs)."""

    def match(text: str) -> re.Match[str] | None:
        if _RUN_ON_AFTER_NUMBER.fullmatch(text):
            return None
        return url_match(text)

    return match


def build_nlp() -> Language:
    """A blank English pipeline: ruler from patterns.yml, lemmatizer, filter, name finder."""
    rules = load_rules()
    nlp = spacy.blank("en")
    _tune_tokenizer(nlp)
    # The ruler goes first so that its phrase patterns are only tokenized, not lemmatized.
    ruler = nlp.add_pipe(
        "entity_ruler", config={"phrase_matcher_attr": "LOWER", "validate": True}
    )
    ruler.add_patterns(ruler_patterns(rules))  # type: ignore[attr-defined]
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    if not isinstance(lemmatizer, Lemmatizer):
        raise TypeError(f"expected spaCy's Lemmatizer, got {type(lemmatizer).__name__}")
    lemmatizer.initialize()  # loads the lookup table of spacy-lookups-data
    nlp.add_pipe(
        FILTER_NAME,
        config={
            "count_words": list(rules.raw["count_words"]),
            "year_words": list(rules.raw["year_words"]),
            "amount_trigger_words": amount_trigger_words(rules),
            "day_of_month_followers": list(rules.raw["day_of_month_followers"]),
            "form_list_joiners": list(rules.raw["form_list"]["joiners"]),
            "form_number_pattern": rules.raw["form_list"]["number"],
        },
    )
    nlp.add_pipe(NAME_FINDER_NAME, config=contact_name_config(rules))
    logger.debug("built the recognizer pipeline: %s", nlp.pipe_names)
    return nlp

