"""The contact-name finder, the pipeline step after the filter: ``contact_name`` entities
for the words after a cue such as "my name is"."""

# No ``from __future__ import annotations`` here: spaCy reads the factory's annotations to
# check its config.
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span

from noticebot.nlp.recognizer.rules import Rules

NAME_FINDER_NAME = "noticebot_contact_names"
# One token of a name: letters, maybe with inner apostrophes ("O'Neil"); "-" joins tokens.
_NAME_PART_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_NAME_JOINERS = frozenset({"-", "'", "’"})


@dataclass(frozen=True)
class NameCue:
    """A cue phrase before a name, as lower-case tokens; a loose cue needs more evidence."""

    words: tuple[str, ...]
    strong: bool


class ContactNameFinder:
    """Pipeline step after the filter: ``contact_name`` entities for the words after a cue.

    "my name is jane doe" -> "jane doe"; "I'm Jane" -> "Jane"; but not "i'm scared" or "this is
    a cp504". The word lists are the ``contact_name`` section of ``patterns.yml``.
    """

    def __init__(
        self,
        *,
        strong: Iterable[Sequence[str]],
        loose: Iterable[Sequence[str]],
        honorifics: Iterable[str] = (),
        enders: Iterable[str] = (),
        not_names: Iterable[str] = (),
        loose_not_names: Iterable[str] = (),
        loose_rejected_suffix: str = r"(?!)",
        max_words: int = 3,
        short_message: int = 4,
    ) -> None:
        """Keep the cues (longest first) and the word lists that end or rule out a name."""
        cues = [NameCue(tuple(words), strong=True) for words in strong]
        cues += [NameCue(tuple(words), strong=False) for words in loose]
        self.cues = tuple(sorted(cues, key=lambda cue: -len(cue.words)))
        self.honorifics = frozenset(honorifics)
        self.enders = frozenset(enders) | STOP_WORDS
        self.not_names = frozenset(not_names) | frozenset(enders)
        self.loose_not_names = self.not_names | frozenset(loose_not_names) | STOP_WORDS
        self.loose_rejected_suffix = re.compile(loose_rejected_suffix)
        self.max_words = max_words
        self.short_message = short_message

    def __call__(self, doc: Doc) -> Doc:
        """Add the names found after cue phrases to ``doc.ents`` (never over another entity)."""
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        words = [_word(token.text) for token in doc]
        names: list[Span] = []
        position = 0
        while position < len(doc):
            name = self._name_at(doc, position, words=words, taken=taken)
            if name is None:
                position += 1
                continue
            names.append(name)
            position = name.end
        if names:
            doc.set_ents(sorted([*doc.ents, *names], key=lambda span: span.start))
        return doc

    def _name_at(
        self, doc: Doc, start: int, *, words: Sequence[str], taken: Collection[int]
    ) -> Span | None:
        """The name after a cue phrase that starts at token ``start``, else None."""
        for cue in self.cues:
            end = start + len(cue.words)
            if tuple(words[start:end]) != cue.words or any(i in taken for i in range(start, end)):
                continue
            if end < len(doc) and not doc[end - 1].whitespace_:
                continue  # "this isnt": "is" glued to "nt"
            return self._name_after(doc, end, cue=cue, words=words, taken=taken)
        return None

    def _name_after(
        self, doc: Doc, start: int, *, cue: NameCue, words: Sequence[str], taken: Collection[int]
    ) -> Span | None:
        """The 1 to ``max_words`` name words from token ``start`` (past an honorific), or None."""
        position = start
        if position < len(doc) and words[position] in self.honorifics:
            position += 2 if position + 1 < len(doc) and words[position + 1] == "." else 1
        parts: list[Span] = []
        while len(parts) < self.max_words:
            end = _name_word_end(doc, position, taken=taken)
            if end is None:
                break
            part = doc[position:end]
            if parts and (
                _word(part.text) in self.enders
                or (_is_capitalized(parts[0].text) and not _is_capitalized(part.text))
            ):
                break
            parts.append(part)
            position = end
        if not parts or _is_possessive(doc, position, words=words):
            return None  # "i'm jane's mom"
        if not self._may_start_name(parts, cue=cue, rest=doc[start:]):
            return None
        return Span(doc, parts[0].start, parts[-1].end, label="contact_name")

    def _may_start_name(self, parts: Sequence[Span], *, cue: NameCue, rest: Span) -> bool:
        """Whether ``parts`` make a name after ``cue``; ``rest`` is the text after the cue."""
        first = _word(parts[0].text)
        capitalized = all(_is_capitalized(part.text) for part in parts)
        if cue.strong:
            return first not in self.not_names and (capitalized or first not in STOP_WORDS)
        if first in self.loose_not_names or self.loose_rejected_suffix.search(first):
            return False
        words_after = sum(1 for token in rest if not (token.is_punct or token.is_space))
        return capitalized or words_after <= self.short_message


def _word(text: str) -> str:
    """Lower-case ``text`` with typographic apostrophes made plain ("I’m" -> "i'm")."""
    return text.lower().replace("’", "'")


def _is_capitalized(text: str) -> bool:
    """True when ``text`` starts with an upper-case letter."""
    return text[:1].isupper()


def _is_possessive(doc: Doc, position: int, *, words: Sequence[str]) -> bool:
    """True when token ``position`` is an "'s" glued to the word before it."""
    return position < len(doc) and words[position] == "'s" and not doc[position - 1].whitespace_


def _name_word_end(doc: Doc, start: int, *, taken: Collection[int]) -> int | None:
    """End of the name-shaped word at token ``start`` ("Jane", "O'Neil", "Mary-Jane"), else None.

    A name word is a run of letters; hyphens and apostrophes may join such runs without spaces.
    A token of another entity is never part of a name.
    """
    if start >= len(doc) or start in taken or not _NAME_PART_RE.fullmatch(doc[start].text):
        return None
    end = start + 1
    while (
        end + 1 < len(doc)
        and not doc[end - 1].whitespace_
        and doc[end].text in _NAME_JOINERS
        and not doc[end].whitespace_
        and end + 1 not in taken
        and _NAME_PART_RE.fullmatch(doc[end + 1].text)
    ):
        end += 2
    return end


@Language.factory(NAME_FINDER_NAME)
def make_contact_name_finder(
    nlp: Language,
    name: str,
    strong: list[str],
    loose: list[str],
    honorifics: list[str],
    enders: list[str],
    not_names: list[str],
    loose_not_names: list[str],
    loose_rejected_suffix: str,
    max_words: int,
    short_message: int,
) -> ContactNameFinder:
    """spaCy factory of ``ContactNameFinder``; the cue phrases are split by ``nlp``'s tokenizer."""

    def split(phrases: Iterable[str]) -> list[list[str]]:
        return [[_word(token.text) for token in nlp.make_doc(phrase)] for phrase in phrases]

    return ContactNameFinder(
        strong=split(strong),
        loose=split(loose),
        honorifics=honorifics,
        enders=enders,
        not_names=not_names,
        loose_not_names=loose_not_names,
        loose_rejected_suffix=loose_rejected_suffix,
        max_words=max_words,
        short_message=short_message,
    )


def contact_name_config(rules: Rules) -> dict[str, Any]:
    """Config of the name finder from the ``contact_name`` section of ``patterns.yml``.

    Month and weekday names never follow a loose cue as a name ("it's March", "it's monday").
    """
    section = rules.raw["contact_name"]
    words = rules.raw["words"]
    return {
        "strong": list(section["strong"]),
        "loose": list(section["loose"]),
        "honorifics": list(section["honorifics"]),
        "enders": list(section["enders"]),
        "not_names": list(section["not_names"]),
        "loose_not_names": sorted({*words["months"], *words["weekdays"]}),
        "loose_rejected_suffix": section["loose_rejected_suffix"],
        "max_words": int(section["max_words"]),
        "short_message": int(section["short_message"]),
    }

