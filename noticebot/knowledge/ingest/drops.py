"""Drop decisions: why a sentence or a heading is marketing, and the cleaner that walks an
article's sections keeping the sentences that are not."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from noticebot.knowledge.ingest.names import (
    NameFinder,
    find_firm_names,
    firm_addresses,
    has_phone_number,
    names_pattern,
)
from noticebot.knowledge.ingest.patterns import (
    EMAIL,
    FINITE_VERB,
    FIRST_PERSON,
    FIRST_PERSON_PLURAL,
    FORM_END,
    POINTS_BACK,
    QUOTED,
)
from noticebot.knowledge.ingest.rules import MarketingRules, fold, fold_line, load_rules
from noticebot.knowledge.ingest.structure import (
    CleanDocument,
    CleanSection,
    Line,
    Section,
    Sentence,
    join_sentences,
    split_sections,
    tidy,
)

# A dropped heading with one of these reasons drops its whole section.
SECTION_REASONS = frozenset(
    {
        "phone",
        "email",
        "web_address",
        "firm_name",
        "call_to_action",
        "sales_claim",
        "first_person_plural",
    }
)
# A section is gutted when its kept sentences only lead into a sales pitch: every marketing
# sentence comes after them, and there are at least this many, and this many times as many.
GUTTED_MIN_DROPS = 2
GUTTED_RATIO = 2
# Drop reasons that say nothing about selling.
NOT_MARKETING = frozenset({"duplicate", "navigation", "fragment", "caption", "byline"})


def _unquoted(text: str) -> str:
    """``text`` without quoted speech (a quote cut by the sentence splitter counts too)."""
    text = QUOTED.sub(" ", text)
    if "”" in text:
        text = text.split("”", 1)[1]
    if "“" in text:
        text = text.split("“", 1)[0]
    return text


def drop_reason(
    text: str, *, names: re.Pattern[str], rules: MarketingRules, heading: bool = False
) -> str | None:
    """Why a sentence (or heading) is marketing, or ``None`` to keep it."""
    folded = fold(text)
    unquoted = _unquoted(text)
    checks: tuple[tuple[str, bool], ...] = (
        ("phone", has_phone_number(text)),
        ("email", EMAIL.search(text) is not None),
        ("web_address", bool(firm_addresses(text, rules=rules))),
        ("firm_name", names.search(text) is not None),
        (
            "call_to_action",
            rules.call_to_action.search(folded) is not None
            or rules.call_to_action_patterns.search(folded) is not None,
        ),
        ("sales_claim", rules.sales_claims.search(folded) is not None),
        ("sales_hook", rules.sales_hooks.search(folded.rstrip(" \"')")) is not None),
        ("first_person_plural", FIRST_PERSON_PLURAL.search(unquoted) is not None),
        ("first_person", FIRST_PERSON.search(unquoted) is not None),
        (
            "navigation",
            fold_line(text) in rules.navigation or bool(rules.navigation_patterns.search(folded)),
        ),
        (
            "hype",
            not heading and text.rstrip(" \"'”’").endswith("!") and not re.search(r"\d", text),
        ),
        ("fragment", not heading and len(re.findall(r"[A-Za-z]{2,}", text)) < 2),
    )
    return next((reason for reason, hit in checks if hit), None)


@lru_cache(maxsize=1)
def sentence_splitter() -> Language:
    """A blank English pipeline with spaCy's rule-based ``sentencizer`` (built once)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


class Cleaner:
    """Keeps the sentences of one article that are not marketing, and counts the rest."""

    def __init__(
        self, text: str, *, title: str, rules: MarketingRules, site_names: Sequence[str] = ()
    ) -> None:
        """Learn the firm's and author's names from ``text``, its title and its site names."""
        self.rules = rules
        self.title = title
        known = f"{title}\n\n{text}" if title else text
        self.names = find_firm_names(known, rules=rules, site_names=site_names)
        self.names_re = names_pattern(self.names)
        authors = NameFinder(known, rules=rules).author_names(known)
        self.authors_re = names_pattern(sorted(authors, key=len, reverse=True))
        self.nlp = sentence_splitter()
        self.dropped: Counter[str] = Counter()
        self.total = 0
        self.seen: set[str] = set()

    def heading_reason(self, section: Section) -> str | None:
        """Why a heading is dropped ("skipped_section" for sources, bios, tables of contents)."""
        heading = section.heading
        if heading is None:
            return None
        if fold_line(heading) in self.rules.skip_sections:
            return "skipped_section"
        if self.rules.author_line.match(heading) is not None and len(heading.split()) <= 8:
            return "byline"  # "By Jane Doe, Acme Tax Relief": the line goes, not its section
        reason = drop_reason(heading, names=self.names_re, rules=self.rules, heading=True)
        if reason is None and self.is_caption(heading, before_title=section.before_title):
            return "caption"
        return reason

    def is_caption(self, text: str, *, before_title: bool) -> bool:
        """A line describing a picture: "Photo: ..." anywhere, "A taxpayer reading ..." only
        before the title, and only when no verb of its own follows the subject."""
        folded = fold(text)
        if self.rules.caption_label.match(folded):
            return True
        subject = self.rules.caption_subject.match(folded)
        if not before_title or subject is None:
            return False
        clause = re.split(r",|;|\s-\s|\b(?:which|that|who|while|as)\b", folded[subject.end() :])[0]
        return FINITE_VERB.search(clause) is None

    def is_bio(self, first_line: str) -> bool:
        """A paragraph opening with the author's name or a self-introduction is a bio."""
        return (
            self.authors_re.match(first_line) is not None
            or self.rules.self_introduction.search(first_line) is not None
        )

    def section(self, section: Section) -> CleanSection:
        """The kept sentences of a section, and its heading when it is kept and useful."""
        reason = self.heading_reason(section)
        if reason is not None:
            self.dropped[f"heading:{reason}"] += 1
        docs = list(self.nlp.pipe(line.text for line in section.lines))
        if reason is not None and (reason in SECTION_REASONS or reason == "skipped_section"):
            return self._drop_section(docs, reason=reason)
        walk = _Walk(bio_blocks=self._bio_blocks(section))
        for index in range(len(section.lines)):
            self._walk_line(section, index, docs=docs, walk=walk)
        if walk.kept and walk.kept[-1].text.endswith(":"):
            walk.kept.pop()
            self.dropped["dangling_lead_in"] += 1
        return CleanSection(
            heading=section.heading if self._useful_heading(section, reason=reason) else None,
            sentences=walk.kept,
            gutted=walk.gutted,
        )

    def _drop_section(self, docs: Sequence[Doc], *, reason: str) -> CleanSection:
        """Drop every sentence of a section whose heading drops it, counting them."""
        count = sum(len(list(doc.sents)) for doc in docs)
        self.total += count
        if count:
            self.dropped[f"section:{reason}"] += count
        return CleanSection(heading=None, sentences=[])

    def _bio_blocks(self, section: Section) -> set[int]:
        """The blocks of a section whose first line opens a bio."""
        first_lines: dict[int, str] = {}
        for line in section.lines:
            first_lines.setdefault(line.block, line.text)
        return {block for block, first in first_lines.items() if self.is_bio(first)}

    def _walk_line(
        self, section: Section, index: int, *, docs: Sequence[Doc], walk: _Walk
    ) -> None:
        """Keep or drop each sentence of line ``index`` of ``section`` (``docs`` are its lines
        split into sentences)."""
        line = section.lines[index]
        walk.skip_items = walk.skip_items and line.item
        caption = self.is_caption(line.text, before_title=line.before_title)
        # The paragraph right after a lost list: drop its opening "These ..." sentence and
        # every later sentence of it that still says "these" or "those".
        orphans = walk.list_lost and not line.item
        walk.list_lost = walk.list_lost and line.item
        sents = [part for s in docs[index].sents for part in FORM_END.split(s.text.strip()) if part]
        for position, sentence in enumerate(sents):
            self.total += 1
            if position == 0:
                orphans = orphans and self.rules.list_references.match(fold(sentence)) is not None
            why = self._sentence_reason(
                sentence,
                first=position == 0,
                bio=line.block in walk.bio_blocks,
                caption=caption,
                in_dropped_list=walk.skip_items,
                orphans=orphans,
            )
            if (
                why is None
                and position == len(sents) - 1
                and _dangles(
                    sentence,
                    line=line,
                    following=section.lines[index + 1 : index + 2],
                    docs=docs[index + 1 :],
                    rules=self.rules,
                )
            ):
                why = "dangling_lead_in"
            if why is not None:
                self.dropped[why] += 1
                walk.drop(sentence, why=why)
            else:
                self.seen.add(fold(sentence))
                walk.keep(Sentence(text=sentence, line=index, item=line.item))

    def _sentence_reason(
        self,
        sentence: str,
        *,
        first: bool,
        bio: bool,
        caption: bool,
        in_dropped_list: bool,
        orphans: bool,
    ) -> str | None:
        """Why a sentence is dropped, from where it sits and what it says (its neighbours
        aside), or ``None`` to keep it."""
        if bio:
            return "bio"
        if caption:
            return "caption"
        if in_dropped_list:
            return "marketing_list"
        if orphans and (first or POINTS_BACK.search(fold(sentence))):
            return "orphan_reference"
        why = drop_reason(sentence, names=self.names_re, rules=self.rules)
        if why is None and fold(sentence) in self.seen:
            return "duplicate"
        return why

    def _useful_heading(self, section: Section, *, reason: str | None) -> bool:
        """A kept heading that says more than the title or a generic "Overview"."""
        return (
            section.heading is not None
            and reason is None
            and fold_line(section.heading) not in self.rules.generic_headings
            and fold_line(section.heading) != fold_line(self.title)
        )


@dataclass
class _Walk:
    """What the walk through one section's sentences has kept and dropped so far."""

    bio_blocks: set[int]
    kept: list[Sentence] = field(default_factory=list)
    marketing: int = 0  # sentences dropped as marketing
    pitch: int = 0  # ... of them after the first kept sentence, since the last kept one
    skip_items: bool = False  # the items of a dropped lead-in ("Call us for:") go too
    # Set when a list was lost (its lead-in or its items dropped): the next paragraph must
    # not point back at it ("All of these programs ...").
    list_lost: bool = False

    def drop(self, sentence: str, *, why: str) -> None:
        """Count a dropped sentence."""
        if why not in NOT_MARKETING:
            self.pitch = self.pitch + 1 if self.kept else 0
            self.marketing += 1
        self.skip_items = self.skip_items or (why in SECTION_REASONS and sentence.endswith(":"))
        self.list_lost = self.list_lost or sentence.endswith(":") or why == "marketing_list"

    def keep(self, sentence: Sentence) -> None:
        """Keep a sentence."""
        self.list_lost = self.list_lost and not sentence.item  # a kept item: the list survived
        self.pitch = 0
        self.kept.append(sentence)

    @property
    def gutted(self) -> bool:
        """The kept sentences only lead into a pitch that takes the rest of the section."""
        return self.pitch == self.marketing >= max(GUTTED_MIN_DROPS, GUTTED_RATIO * len(self.kept))


def clean(
    text: str, *, title: str, rules: MarketingRules, site_names: Sequence[str] = ()
) -> CleanDocument:
    """Split ``text`` into sections and keep the sentences that are not marketing."""
    cleaner = Cleaner(text, title=title, rules=rules, site_names=site_names)
    split = split_sections(text, rules=rules)
    _mark_lines_before_title(split, title=title)
    sections = [cleaner.section(s) for s in split]
    return CleanDocument(
        title=_safe_title(title, names=cleaner.names_re, rules=rules, sections=sections),
        sections=sections,
        dropped=cleaner.dropped,
        total=cleaner.total,
        names=cleaner.names,
    )


def _mark_lines_before_title(sections: Sequence[Section], *, title: str) -> None:
    """Mark the headings and lines above the title line (where captions sit); with no title line
    in the text, only the opening line or heading."""
    wanted = fold_line(title)
    lines: list[Line] = []
    headings: list[Section] = []
    for section in sections:
        if wanted and section.heading is not None and fold_line(section.heading) == wanted:
            break
        if section.heading is not None:
            headings.append(section)
        found = next(
            (n for n, ln in enumerate(section.lines) if fold_line(ln.text) == wanted), None
        )
        if wanted and found is not None:
            lines.extend(section.lines[:found])
            break
        lines.extend(section.lines)
    else:  # no title line: only what opens the text
        first = sections[0] if sections else None
        headings = [first] if first is not None and first.heading is not None else []
        lines = first.lines[:1] if first is not None and first.heading is None else []
    for section in headings:
        section.before_title = True
    for line in lines:
        line.before_title = True


def _dangles(
    sentence: str,
    *,
    line: Line,
    following: Sequence[Line],
    docs: Sequence[Doc],
    rules: MarketingRules,
) -> bool:
    """A lead-in ("You may qualify for:") whose list was lost: several sentences follow it, or
    one that points back at the list ("All of these programs ...")."""
    if not sentence.endswith(":") or not following:
        return False
    after = following[0]
    if after.block == line.block or after.item:
        return False
    return len(list(docs[0].sents)) > 1 or rules.list_references.match(fold(after.text)) is not None


def _safe_title(
    title: str, *, names: re.Pattern[str], rules: MarketingRules, sections: Sequence[CleanSection]
) -> str:
    """``title`` without emoji, or the first kept heading when the title itself is marketing."""
    title = tidy(title)
    if title and drop_reason(title, names=names, rules=rules, heading=True) is None:
        return title
    return next((s.heading for s in sections if s.heading), "Article")


def clean_text(text: str, *, rules: MarketingRules | None = None) -> str:
    """The kept headings and sentences of an article as plain text (for review and debugging)."""
    document = clean(text, title="", rules=rules or load_rules())
    parts: list[str] = []
    for section in document.sections:
        body = join_sentences(section.sentences)
        if section.heading and body:
            parts.append(f"{section.heading}\n{body}")
        elif body:
            parts.append(body)
    return "\n\n".join(parts)

