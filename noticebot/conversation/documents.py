"""A notice sent as a photo or a PDF: read back for a yes before its facts are taken.

The channel reads the file (``noticebot.documents``: OCR or the text layer, then redaction, then
the reader) and sends the message ``/share_document`` whose metadata ``document`` holds only what
was read (``DocumentOutcome.as_metadata``): the notice, its dates, the amount and the tax years,
or why the file could not be read. Neither the file nor its text reach the tracker.

``document_turn`` runs first in ``respond``:

- a file read with a notice code: "I read notice CP504 dated November 2, 2026, tax year 2024,
  amount due $4,312.18, respond by December 2. Is that right?" (``utter_document_readback``);
  the facts wait in ``pending_document`` and nothing else is said;
- the next message: a yes takes the facts as if they had been typed (the turn goes on with them,
  and with what else the message says: a question, the person's situation); a yes or a no that
  corrects something ("no, it's dated November 3", "no, it's a CP503") takes them corrected;
  a plain no asks the person to type the code and the date (``utter_document_wrong``); anything else
  drops the read facts and is answered as usual (the person typed something else);
- a file that could not be read, or without a notice code: a kind message and how to type the
  code instead (``utter_document_unreadable_<reason>``);
- "can I send you a photo of the notice?" typed (the intent without a file, saying nothing
  else): how to send one, or type the code (``utter_document_how``); with facts in it, the
  message is answered as usual.

Nothing here knows Rasa.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from noticebot.conversation.state import ASK_NOTICE_CODE, ConversationState
from noticebot.reading import EMPTY_FACTS, MessageFacts, NoticeMention
from noticebot.reply import Reply

DOCUMENT_INTENT = "share_document"
METADATA_KEY = "document"  # the user message's metadata key the channel fills
ASK_DOCUMENT_CONFIRMED = "document_readback"  # ``pending_question`` while waiting for the yes
READBACK = "utter_document_readback"
WRONG = "utter_document_wrong"
HOW = "utter_document_how"
UNREADABLE_REASONS = ("too_large", "wrong_type", "unreadable", "no_text", "no_notice")
# Where ``pending_document`` keeps the caption typed with the file (its text and facts)
CAPTION_KEY = "caption"


@dataclass(frozen=True)
class DocumentOutcome:
    """What the channel read in a file: the facts, or why it could not be read."""

    facts: MessageFacts | None = None
    error: str | None = None  # one of UNREADABLE_REASONS

    def as_metadata(self) -> dict[str, Any]:
        """Plain values for the message's metadata (only what read-back needs)."""
        if self.facts is None:
            return {"error": self.error or "unreadable"}
        return {"facts": only_readback_facts(self.facts).as_dict()}

    @classmethod
    def from_metadata(cls, value: Any) -> DocumentOutcome | None:
        """Rebuild from :meth:`as_metadata`; ``None`` for a message without a document."""
        if not isinstance(value, Mapping):
            return None
        if isinstance(value.get("facts"), Mapping):
            facts = only_readback_facts(MessageFacts.from_dict(value["facts"]))
            if facts.notices:
                return cls(facts=facts)
            return cls(error="no_notice")
        error = value.get("error")
        return cls(error=error if error in UNREADABLE_REASONS else "unreadable")


def only_readback_facts(facts: MessageFacts) -> MessageFacts:
    """The facts a notice prints that are read back: the first notice with its notice date and
    printed deadline, the amount and the tax years. Whatever else the text seemed to say
    (a situation, a question) is not the person's and is dropped."""
    notice = facts.notices[0] if facts.notices else None
    return replace(
        EMPTY_FACTS,
        notices=(NoticeMention(notice.code, notice.notice_date, notice.printed_deadline),)
        if notice is not None
        else (),
        amount=facts.amount,
        tax_years=facts.tax_years,
    )


def _long_date(day: dt.date, *, year: bool = True) -> str:
    return f"{day:%B} {day.day}, {day.year}" if year else f"{day:%B} {day.day}"


def readback_text(facts: MessageFacts) -> str:
    """"notice CP504 dated November 2, 2026, tax year 2024, amount due $4,312.18, respond by
    December 2" (what follows "I read")."""
    notice = facts.notices[0]
    code = notice.code
    parts = [f"Letter {code[3:]}" if code.startswith("LTR") else f"notice {code}"]
    if notice.notice_date is not None:
        parts[0] += f" dated {_long_date(notice.notice_date)}"
    if facts.tax_years:
        parts.append("tax year " + ", ".join(str(y) for y in facts.tax_years))
    if facts.amount is not None:
        parts.append(f"amount due ${facts.amount:,.2f}")
    if notice.printed_deadline is not None:
        same_year = notice.notice_date is None or (
            notice.notice_date.year == notice.printed_deadline.year
        )
        parts.append(f"respond by {_long_date(notice.printed_deadline, year=not same_year)}")
    return ", ".join(parts)


def _over(base: MessageFacts, top: MessageFacts) -> MessageFacts:
    """``base`` with every fact ``top`` states put over it (a caption, then the yes)."""
    changes = {
        item.name: getattr(top, item.name)
        for item in fields(MessageFacts)
        if getattr(top, item.name) not in (None, (), False, "")
    }
    return replace(base, **changes)


def corrected(read: MessageFacts, typed: MessageFacts) -> MessageFacts:
    """The read facts with what the person typed over them: a notice code, a date (a deadline
    when cue words say so, else the notice date), the amount, the tax years; the rest of the
    message (its question, the person's situation) is kept as typed."""
    notice = read.notices[0]
    if typed.notices:
        named = typed.notices[0]
        notice = replace(
            named,
            notice_date=named.notice_date or notice.notice_date,
            printed_deadline=named.printed_deadline or notice.printed_deadline,
        )
    others = []
    for loose in typed.loose_dates:
        if loose.role == "deadline":
            notice = replace(notice, printed_deadline=loose.day)
        elif loose.role in (None, "notice"):
            notice = replace(notice, notice_date=loose.day)
        else:
            others.append(loose)
    return replace(
        typed,
        notices=(notice, *typed.notices[1:]),
        loose_dates=tuple(others),
        amount=typed.amount if typed.amount is not None else read.amount,
        tax_years=typed.tax_years or read.tax_years,
        answer_word=None,
    )


@dataclass(frozen=True)
class DocumentTurn:
    """What ``document_turn`` decided: replies to send now (the turn ends), or the state and
    facts the turn goes on with."""

    state: ConversationState
    facts: MessageFacts
    replies: tuple[Reply, ...] | None = None  # not None: say these and stop
    first: tuple[Reply, ...] = ()  # said before the turn goes on (a file that could not be read)
    text: str | None = None  # the text the turn goes on with, when not the message's own


def _yes_or_no(facts: MessageFacts, intent: str | None) -> str | None:
    if facts.answer_word is not None:
        return facts.answer_word
    return {"affirm": "yes", "deny": "no"}.get(intent or "")


def _ask_code(state: ConversationState) -> str | None:
    """The question the person is asked to answer by typing: the code, unless a notice is known
    already (then what was pending stays pending)."""
    return state.pending_question if state.notices else ASK_NOTICE_CODE


def document_turn(
    state: ConversationState,
    facts: MessageFacts,
    *,
    intent: str | None,
    document: Mapping[str, Any] | None,
    text: str = "",
) -> DocumentTurn:
    """The read-back of a file, or the answer to it (see the module's docstring). ``text`` is
    the message's text: with a file, the caption typed with it (else ``/share_document``)."""
    caption = text.strip() if text.strip() and not text.strip().startswith("/") else None
    outcome = DocumentOutcome.from_metadata(document) if (
        intent == DOCUMENT_INTENT or (document is not None and caption)
    ) else None
    if intent == DOCUMENT_INTENT and outcome is None and not facts.states_something:
        # "can I send you a photo of the notice?" typed, no file yet: say how
        return DocumentTurn(state, EMPTY_FACTS, (Reply(HOW, {}),))
    if outcome is not None:
        if outcome.facts is None:
            unreadable = Reply(f"utter_document_unreadable_{outcome.error or 'unreadable'}", {})
            if caption:  # what was typed with the file is answered as usual
                return DocumentTurn(state.with_changes(pending_document=None), facts,
                                    first=(unreadable,))
            return DocumentTurn(
                state.with_changes(pending_document=None, pending_question=_ask_code(state)),
                EMPTY_FACTS,
                (unreadable,),
            )
        pending = outcome.facts.as_dict()
        if caption:  # kept until the yes, then taken as if typed with it
            pending[CAPTION_KEY] = {"text": caption, "facts": facts.as_dict()}
        waiting = state.with_changes(
            pending_document=pending, pending_question=ASK_DOCUMENT_CONFIRMED
        )
        return DocumentTurn(
            waiting, EMPTY_FACTS, (Reply(READBACK, {"read": readback_text(outcome.facts)}),)
        )
    if state.pending_question != ASK_DOCUMENT_CONFIRMED or state.pending_document is None:
        return DocumentTurn(state, facts)
    read = MessageFacts.from_dict(state.pending_document)
    cleared = state.with_changes(pending_document=None, pending_question=None)
    answer = _yes_or_no(facts, intent)
    corrects = bool(facts.notices or facts.loose_dates or facts.amount is not None
                    or facts.tax_years)
    if answer == "yes" or (answer == "no" and corrects):
        # as if the person had typed them, with whatever else the message says ("yes, and can
        # they take my house?", "no, it's dated November 3") and the caption typed with the
        # file: what is typed wins
        kept = state.pending_document.get(CAPTION_KEY)
        if isinstance(kept, Mapping) and isinstance(kept.get("text"), str):
            typed = _over(MessageFacts.from_dict(kept.get("facts")), facts)
            return DocumentTurn(cleared, corrected(read, typed), text=f"{kept['text']}\n{text}")
        return DocumentTurn(cleared, corrected(read, facts))
    if answer == "no":
        return DocumentTurn(
            cleared.with_changes(pending_question=_ask_code(cleared)),
            EMPTY_FACTS,
            (Reply(WRONG, {}),),
        )
    return DocumentTurn(cleared, facts)
