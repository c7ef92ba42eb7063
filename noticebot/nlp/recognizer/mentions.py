"""What the recognizer returns: a :class:`Mention` per entity with its canonical value (and a
date's role), and the :class:`Recognizer` that runs the pipeline."""

import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from noticebot.nlp.recognizer.dates import PAST_ROLES, date_role, parse_date
from noticebot.nlp.recognizer.pipeline import build_nlp
from noticebot.nlp.recognizer.rules import LABELS, load_rules
from noticebot.nlp.recognizer.values import (
    canonical_email,
    canonical_form,
    canonical_name,
    canonical_notice_code,
    canonical_phone,
    parse_amount,
)

# The package's logger (the name it had as one module).
logger = logging.getLogger("noticebot.nlp.recognizer")


@dataclass(frozen=True)
class Mention:
    """One recognized entity: label, text as written, char offsets, canonical value and role.

    ``role`` is set for dates only: ``"deadline"``, ``"notice"`` (the date printed on the notice),
    ``"received"``, or None when no cue word tells.
    """

    label: str
    text: str
    start: int
    end: int
    value: str | float
    role: str | None = None


def _mention_value(ent: Span, *, today: dt.date, role: str | None = None) -> str | float | None:
    """Canonical value of an entity, or None when the span does not hold one."""
    if ent.label_ == "notice_code":
        return ent.ent_id_ or canonical_notice_code(ent.text)
    if ent.label_ == "form":
        return ent.ent_id_ or canonical_form(ent.text)
    if ent.label_ == "amount":
        return parse_amount(ent.text)
    if ent.label_ == "contact_phone":
        return canonical_phone(ent.text, region=load_rules().phone_region)
    if ent.label_ == "contact_email":
        return canonical_email(ent.text)
    if ent.label_ == "contact_name":
        return canonical_name(ent.text)
    day = parse_date(ent.text, today=today, past=role in PAST_ROLES, future=role == "deadline")
    return day.isoformat() if day is not None else None


def _mentions(ents: Sequence[Span], *, today: dt.date) -> Iterator[Mention]:
    """Mentions of the recognizer's labels among ``ents``, skipping spans without a value."""
    cues = load_rules().date_cues
    for ent in ents:
        if ent.label_ not in LABELS:
            continue
        role = date_role(ent, cues=cues) if ent.label_ == "date" else None
        value = _mention_value(ent, today=today, role=role)
        if value is None:
            logger.debug("no %s value in %r", ent.label_, ent.text)
            continue
        yield Mention(
            label=ent.label_,
            text=ent.text,
            start=ent.start_char,
            end=ent.end_char,
            value=value,
            role=role,
        )


class Recognizer:
    """Find notice codes, forms, amounts, dates and contact details in a message or document."""

    def __init__(self, nlp: Language | None = None) -> None:
        """Use ``nlp`` (from ``build_nlp``) or build the pipeline now."""
        self.nlp: Language = nlp if nlp is not None else build_nlp()

    def recognize(self, text: str, *, today: dt.date | None = None) -> list[Mention]:
        """Mentions in ``text``, sorted by start, without overlaps."""
        return self.mentions(self.nlp(text), today=today)

    def mentions(self, doc: Doc, *, today: dt.date | None = None) -> list[Mention]:
        """Mentions in a doc this recognizer's pipeline already processed."""
        day = today if today is not None else dt.date.today()
        return sorted(_mentions(doc.ents, today=day), key=lambda mention: mention.start)
