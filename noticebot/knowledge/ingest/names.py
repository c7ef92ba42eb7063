"""The firm's and the author's names, learned from the document itself ("At Acme Tax
Relief, we ...", "Acme can help", "I'm Jane Doe", "visit acme.tax", the page's own
names), and the phone numbers and web addresses that are the firm's."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import phonenumbers
from spacy.lang.en.stop_words import STOP_WORDS

from noticebot.knowledge.ingest.patterns import (
    ACRONYM,
    EMAIL,
    EMOJI,
    LOWER_WORD,
    PHONE_SAFETY_NET,
)
from noticebot.knowledge.ingest.rules import MarketingRules, alternation, fold, load_rules


def has_phone_number(text: str) -> bool:
    """Whether ``text`` holds a phone number (``phonenumbers`` plus a regex safety net)."""
    if next(iter(phonenumbers.PhoneNumberMatcher(text, "US")), None) is not None:
        return True
    return any(pattern.search(text) for pattern in PHONE_SAFETY_NET)


def _host(address: str) -> str:
    """The host name of a URL or bare domain, lower-cased, without ``www.``."""
    host = re.sub(r"(?i)^https?://", "", address).split("/")[0].lower()
    return host.removeprefix("www.")


def _is_official(address: str) -> bool:
    """Government addresses (``.gov``, ``.mil``) are sources, not marketing."""
    return _host(address).rstrip(".").endswith((".gov", ".mil"))


def firm_addresses(text: str, *, rules: MarketingRules) -> list[str]:
    """Web addresses in ``text`` that are not government ones."""
    return [m.group() for m in rules.web_address.finditer(text) if not _is_official(m.group())]


class NameFinder:
    """Learns the firm's and the author's names from one document."""

    def __init__(self, text: str, *, rules: MarketingRules) -> None:
        """Index the words ``text`` writes in lower case (a firm never lower-cases its name)."""
        self._rules = rules
        plain = EMAIL.sub(" ", rules.web_address.sub(" ", text))
        self._lowercase = {w.replace("’", "'") for w in LOWER_WORD.findall(plain)}
        self._capitalized = set(re.findall(r"(?<![\w'’])[A-Z][a-z]{3,}(?![\w])", plain))

    def is_proper(self, token: str) -> bool:
        """A word the document never writes in lower case, not a stop word or agency name."""
        word = fold(token)
        return (
            word not in self._lowercase
            and word not in STOP_WORDS
            and word not in self._rules.generic_names
            and any(c.isalpha() for c in word)
            and not any(c.isdigit() for c in word)
        )

    def _tokens(self, run: str) -> list[str]:
        tokens = [re.sub(r"['’]s$", "", t) for t in run.split()]
        while tokens and not self.is_proper(tokens[0]):
            tokens.pop(0)
        return tokens

    def _acceptable(self, name: str) -> bool:
        return bool(name) and fold(name) not in self._rules.generic_names

    def suffix_names(self, text: str) -> set[str]:
        """Names followed by a firm suffix: the full name and, when it is all proper, its core."""
        names: set[str] = set()
        for match in self._rules.firm_suffix.finditer(text):
            tokens = self._tokens(match.group("name"))
            if not tokens:
                continue
            core = " ".join(tokens)
            names.add(f"{core} {match.group('suffix')}")
            if all(self.is_proper(t) or t == "&" for t in tokens) and self._acceptable(core):
                names.add(core)
        return names

    def context_names(self, text: str) -> set[str]:
        """Names in a firm's context ("contact X", "X can help", "At X, we"): proper words only."""
        names: set[str] = set()
        for pattern in self._rules.firm_contexts:
            for match in pattern.finditer(text):
                tokens = self._tokens(match.group("name"))
                proper: list[str] = []
                for token in tokens:
                    if not self.is_proper(token) or ACRONYM.fullmatch(token):
                        break
                    proper.append(token)
                name = " ".join(proper)
                if self._acceptable(name):
                    names.add(name)
        return names

    def author_names(self, text: str) -> set[str]:
        """People named by a bio: "I'm Jane Doe", "Picture of Jane Doe", "Jane Doe is a CPA..."."""
        names: set[str] = set()
        for raw in text.splitlines():
            line = EMOJI.sub("", raw).strip()
            found = [m.group("name") for m in self._rules.self_introduction.finditer(line)]
            author = self._rules.author_line.match(line)
            if author is not None and len(line.split()) <= 8:
                found.append(author.group("name"))
            bio = self._rules.bio_sentence.match(line)
            if bio is not None and self._rules.bio_cues.search(fold(line)):
                found.append(bio.group("name"))
            for name in found:
                tokens = name.split()
                if all(self.is_proper(t) for t in tokens if not t.endswith(".")):
                    names.update((name, tokens[0], tokens[-1]))
        return names

    def address_names(self, text: str) -> set[str]:
        """The names inside a firm's web addresses ("IRSTaxRelief" in "IRSTaxRelief.tax")."""
        names: set[str] = set()
        for address in firm_addresses(text, rules=self._rules):
            host = re.sub(r"(?i)^(?:https?://)?", "", address).split("/")[0]
            labels = host.split(".")
            label = labels[-2] if len(labels) >= 2 else labels[0]
            if len(label) >= 4 and self.is_proper(label) and self._acceptable(label):
                names.add(label)
                names.update(self._brand_words(label))
        return names

    def _brand_words(self, label: str) -> list[str]:
        """Proper words of the document that spell the start of a domain label: "Harbor" and
        "Finch" in "harborfinchlaw"."""
        label = label.lower()
        words: list[str] = []
        position = 0
        while len(words) < 3:
            fits = [
                w
                for w in self._capitalized
                if label.startswith(w.lower(), position) and self.is_proper(w)
            ]
            if not fits:
                break
            word = max(fits, key=len)
            if self._acceptable(word):
                words.append(word)
            position += len(word)
        return words

    def site_names(self, candidates: Iterable[str]) -> set[str]:
        """Names a page gives itself ("Acme Tax Relief" in ``<title>`` or ``og:site_name``):
        a run of proper words, or a name with a firm suffix."""
        names: set[str] = set()
        for candidate in candidates:
            names |= self.suffix_names(candidate)
            tokens = self._tokens(EMOJI.sub("", candidate).strip())
            if (
                0 < len(tokens) <= 5
                and all(self.is_proper(t) or t == "&" for t in tokens)
                and not all(ACRONYM.fullmatch(t) for t in tokens)
                and self._acceptable(" ".join(tokens))
            ):
                names.add(" ".join(tokens))
        return names


def find_firm_names(
    text: str, *, rules: MarketingRules | None = None, site_names: Iterable[str] = ()
) -> tuple[str, ...]:
    """The firm's and the author's names as the document itself gives them, longest first.

    ``site_names`` are what the page calls itself (parts of its ``<title>``, ``og:site_name``).
    """
    rules = rules or load_rules()
    finder = NameFinder(text, rules=rules)
    names = (
        finder.suffix_names(text)
        | finder.context_names(text)
        | finder.author_names(text)
        | finder.address_names(text)
        | finder.site_names(site_names)
    )
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def names_pattern(names: Sequence[str]) -> re.Pattern[str]:
    """Match any of ``names`` as whole words, with or without a possessive "'s".

    Case counts, except for a name written all in lower case (a domain label such as
    "brightline"), which matches "Brightline" and "BRIGHTLINE" too.
    """
    alternatives = (
        ("(?i:{})" if name.islower() else "{}").format(
            r"\s+".join(re.escape(w) for w in name.split())
        )
        for name in names
    )
    return re.compile(r"(?<![A-Za-z0-9])" + alternation(alternatives) + r"(?![A-Za-z0-9])")

