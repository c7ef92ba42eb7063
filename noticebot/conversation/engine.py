"""One turn of the conversation: from the facts so far and one message to what to say next.

``respond`` is the one domain function the Rasa action adapts. Its order is fixed:

1. a safety answer first (a scam), then notices the catalog lacks and dates that cannot be right;
2. every notice whose card has not been shown (or whose dates changed): its card, its deadline
   and the rights that expire, the most urgent first;
3. the answer to what the message asks;
4. small talk, or an honest "I didn't catch that" when nothing in the message was understood;
5. what comes next: a person when asked for, else the one question still unknown (the notice,
   its date, then triage), else the route with its ``triage_result`` card (once: later only a
   reminder when asked), and the offer of a person after a negotiate or get_help route.

Nothing is asked twice: a fact said once is kept (``absorb``), a date question is asked once
per notice, a card is not repeated unless its dates changed, and a route only when it changed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from noticebot.answers import KnowledgeAnswer
from noticebot.calendar_file import CALENDAR_INTENT, calendar_replies, offer_replies
from noticebot.composer import Composed, Context, question_amount
from noticebot.conversation.absorb import Notes, absorb
from noticebot.conversation.documents import document_turn
from noticebot.conversation.state import (
    ASK_AGREES,
    ASK_CAN_PAY,
    ASK_NOTICE_CODE,
    ASK_RED_FLAGS,
    DATE_QUESTIONS,
    INTAKE,
    LISTEN,
    ConversationState,
    Memory,
)
from noticebot.handoff import handoff_replies
from noticebot.knowledge.catalog import Catalog
from noticebot.notices import (
    NoticeEntry,
    NoticeExplanation,
    date_to_ask,
    deadline_replies,
    explain_entries,
    explanation_replies,
    lead_explanation,
    lead_replies,
)
from noticebot.privacy import letters_digest
from noticebot.reading import EMPTY_FACTS, MessageFacts
from noticebot.reminders import (
    REMINDER_CHANNELS,
    REMINDER_INTENT,
    STOP_INTENT,
    Reminder,
    pending,
    plan_reminders,
    set_replies,
    stop_replies,
)
from noticebot.reply import Reply
from noticebot.settings import FirmProfile
from noticebot.triage import (
    Q_AGREES,
    Q_CAN_PAY,
    Q_RED_FLAGS,
    TriageAnswers,
    TriageResult,
    asked_red_flags,
    conditional_flags,
    next_question,
    offers_a_person,
    plan_in_place,
    red_flags_in,
    reminder_replies,
    triage,
    triage_data,
    triage_replies,
)

# Question intents and the kind of question each one asks (the intent names of docs/contract.md).
INTENT_QUESTIONS = {
    "ask_deadline": "deadline",
    "ask_consequences": "consequences",
    "ask_payment_plan": "payment_plan",
    "ask_settlement": "settlement",
    "ask_penalty_relief": "penalty_relief",
    "ask_appeal": "appeal",
    "ask_how_to_pay": "how_to_pay",
    "check_scam": "scam",
}
SMALL_TALK = {
    "goodbye": "utter_goodbye",
    "thank": "utter_you_are_welcome",
    "bot_challenge": "utter_iamabot",
    "out_of_scope": "utter_out_of_scope",
}
FALLBACK = "nlu_fallback"
# At most this many questions of one message are answered (the rest would drown the answer).
MAX_ANSWERS = 2
MISUNDERSTANDINGS_BEFORE_HANDOFF = 2
# The warning signs a person can name, as triage's red flags of the same names.
_QUESTION_OF_TRIAGE = {Q_AGREES: ASK_AGREES, Q_CAN_PAY: ASK_CAN_PAY, Q_RED_FLAGS: ASK_RED_FLAGS}
_SIGNS_RESPONSE = "utter_ask_has_red_flags"
# Intents that ask something (a composed answer is looked for).
_ASKING_INTENTS = frozenset({"ask_tax_question", *INTENT_QUESTIONS})
# "more", "tell me more", "yes, the details please": the person takes the offer to say more.
_MORE = re.compile(
    r"^(?:(?:yes|yeah|yep|ok|okay|sure)[,.! ]*)?(?:please )?"
    r"(?:tell me |say |give me |explain |i want |show me )?"
    r"(?:some )?(?:more|the details|details|more details|more info|more information)"
    r"(?: about (?:it|that|this))?(?: please)?[.!]*$"
)
# A question typed without "?": a clause that starts with a question word.
_QUESTION_WORDS = re.compile(
    r"(?:^|[,.;:!]\s*|\b(?:and|but|so|also|then)\s+)"
    r"(?:what|whats|which|how|when|where|why|who|can|could|do|does|did|is|are|should|will|would"
    r"|am i|is there|are there)\b"
)
_SENTENCES = re.compile(r"(?<=[?.!])\s+|\n+")


class Answers(Protocol):
    """Where answers to questions come from (the catalog, then retrieval)."""

    def for_kind(self, kind: str, *, notice_code: str | None) -> KnowledgeAnswer | None:
        """The catalog's answer to a kind of question ("payment_plan", "home"...)."""

    def search(self, text: str) -> tuple[KnowledgeAnswer, str] | None:
        """The best passage for a free question, with its kind ("catalog" or "article")."""

    def compose(self, question: str, context: Context) -> Composed | None:
        """The short answer composed for the question asked (``noticebot.composer``)."""

    def topic(self, topic_id: str) -> KnowledgeAnswer | None:
        """A catalog topic's first facts (what "more" says after a composed answer)."""


@dataclass(frozen=True)
class Turn:
    """One message as the NLU read it."""

    intent: str | None = None
    confidence: float = 1.0
    facts: MessageFacts = EMPTY_FACTS
    text: str = ""
    misunderstood_in_a_row: int = 0  # messages not understood in a row, this one included
    in_intake: bool = False  # the intake form is active: answer, then let it go on
    # what the channel read in a photo or PDF of the notice (noticebot.conversation.documents)
    document: Mapping[str, Any] | None = None
    channel: str | None = None  # the channel it came through ("telegram", "socketio"...)


@dataclass(frozen=True)
class TurnResult:
    """What to say, the state to keep, what comes next, and the route if one is known."""

    replies: tuple[Reply, ...]
    state: ConversationState
    next_step: str = LISTEN
    triage: TriageResult | None = None
    # reminders to schedule (noticebot.reminders), and whether to cancel those pending first
    schedule: tuple[Reminder, ...] = ()
    cancel_reminders: bool = False


def _fingerprint(value: Any) -> str:
    """A fingerprint kept in a slot, in letters only (``letters_digest``)."""
    return letters_digest(json.dumps(value, sort_keys=True, default=str).encode(), 16)


def card_fingerprint(explanation: NoticeExplanation) -> str:
    """What a notice card says, without the parts that change every day."""
    summary = {k: v for k, v in explanation.summary.items() if k not in ("days_left", "urgency")}
    return _fingerprint(summary)


def route_fingerprint(result: TriageResult) -> str:
    """What a route says (route, reasons, steps)."""
    return _fingerprint([result.route, result.reasons, result.next_steps, result.forms])


def triage_answers(
    state: ConversationState,
    explanations: Sequence[NoticeExplanation],
    *,
    catalog: Catalog,
    today: dt.date,
    misunderstood: bool = False,
) -> tuple[TriageAnswers, NoticeExplanation | None]:
    """Triage's inputs from the conversation's facts, with the lead notice (most urgent)."""
    lead = lead_explanation(explanations)
    ordered = ([lead] if lead else []) + [e for e in explanations if e is not lead]
    codes = tuple(e.notice.code for e in ordered)
    deadline = lead.deadline if lead else None
    flags = set(
        red_flags_in(
            amount=state.amount, codes=codes, catalog=catalog, year=today.year, deadline=deadline
        )
    )
    flags.update(state.red_flags)
    if state.has_red_flags and not state.red_flags:
        flags.add("reported_red_flag")
    if state.asked_for_human:
        flags.add("asked_for_human")
    if misunderstood:
        flags.add("not_understood_twice")
    answers = TriageAnswers(
        notice_codes=codes,
        agrees_with_amount=state.agrees_with_amount,
        can_pay_in_full=state.can_pay_in_full,
        red_flags=frozenset(flags),
        amount=state.amount,
        missed_installment=bool(state.missed_installment),
        hardship=bool(state.hardship),
        red_flags_checked=state.has_red_flags is not None or bool(state.red_flags),
        installment_agreement=bool(state.installment_agreement),
    )
    return answers, lead


def route_for(
    state: ConversationState, *, catalog: Catalog, today: dt.date, misunderstood: bool = False
) -> TriageResult | None:
    """The route the facts lead to, or ``None`` while an answer it needs is missing."""
    explanations = explain_entries(catalog, state.notices, today=today)
    answers, lead = triage_answers(
        state, explanations, catalog=catalog, today=today, misunderstood=misunderstood
    )
    try:
        return triage(
            answers, catalog=catalog, deadline=lead.deadline if lead else None, year=today.year
        )
    except ValueError:
        return None


def _question_kinds(turn: Turn) -> list[str]:
    """What the message asks, in the order it asks it: what its words ask, else what its
    intent asks (the words are the more precise: "what should I do?" is not "how to pay")."""
    if turn.facts.asks:
        return list(turn.facts.asks)
    from_intent = INTENT_QUESTIONS.get(turn.intent or "")
    return [from_intent] if from_intent else []


class _Reply:
    """The replies of one turn, built in order."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []

    def say(self, response: str, payload: dict[str, Any] | None = None, **values: Any) -> None:
        self.replies.append(Reply(response, values, payload))

    def extend(self, replies: Sequence[Reply]) -> None:
        self.replies.extend(replies)


_ANSWER_RESPONSES = {
    "catalog": "utter_answer",
    "article": "utter_answer_article",  # a firm's article, not checked against IRS sources
    "unsure": "utter_answer_unsure",  # retrieval's closest catalog passage, said as such
}


def _answer(out: _Reply, answer: KnowledgeAnswer | None, *, kind: str = "catalog") -> None:
    if answer is None:
        out.say("utter_no_answer")
        return
    out.say(_ANSWER_RESPONSES[kind], answer=answer.text, source=answer.sources[0])


def _ask_signs(amount: float | None, *, catalog: Catalog, today: dt.date) -> Reply:
    """The warning-signs question, without the balance limit when the balance is known."""
    data = triage_data()
    limit = catalog.figure("streamlined_ia_limit", year=today.year).value
    signs = [
        data.sign_phrases[flag].format(limit=f"${limit:,.0f}")
        for flag in asked_red_flags()
        if not (flag == "over_streamlined_limit" and amount is not None)
    ]
    listed = ", ".join(signs[:-1]) + f", or {signs[-1]}" if len(signs) > 1 else signs[0]
    return Reply(_SIGNS_RESPONSE, {"signs": listed})


def _question_reply(
    question: str, state: ConversationState, *, catalog: Catalog, today: dt.date
) -> Reply:
    if question == ASK_RED_FLAGS:
        return _ask_signs(state.amount, catalog=catalog, today=today)
    if question == ASK_NOTICE_CODE:
        return Reply("utter_ask_notice_code", {})
    if question == ASK_CAN_PAY and state.missed_installment:
        return Reply("utter_ask_can_pay_missed", {})
    if question in (ASK_AGREES, ASK_CAN_PAY):
        return Reply(f"utter_ask_{question}", {})
    return Reply(f"utter_ask_{question}", {"notice_code": state.notice_code or ""})


def _next_question(
    state: ConversationState,
    lead: NoticeExplanation | None,
    answers: TriageAnswers,
    *,
    catalog: Catalog,
    notes: Notes,
) -> tuple[str | None, ConversationState]:
    """The one question still worth asking (and the state that remembers it was asked)."""
    memory = state.shown
    urgent = bool(answers.red_flags - conditional_flags())  # a warning sign: help comes first
    if not state.notices and not memory.asked_code and not notes.code_unknown and not urgent:
        return ASK_NOTICE_CODE, state.with_changes(shown=replace(memory, asked_code=True))
    if lead is not None and not urgent:
        entry = state.entry(lead.notice.code)
        wanted = date_to_ask(lead.notice)
        if entry is not None and wanted and not entry.has_date and not entry.date_asked:
            asked = replace(entry, date_asked=True)
            notices = tuple(asked if e.code == entry.code else e for e in state.notices)
            return wanted, state.with_changes(notices=notices, notice_code=entry.code)
    question = next_question(answers, settled=plan_in_place(answers, catalog))
    return (_QUESTION_OF_TRIAGE[question] if question else None), state


# A safety answer (a scam) is said before anything else, the disclaimer included.
SAFETY_RESPONSE = "utter_answer_safety"


def _say_composed(out: _Reply, composed: Composed) -> None:
    if composed.kind == "scam":
        response = SAFETY_RESPONSE  # its text names any part that rests on a non-IRS source
    elif composed.secondary:
        response = "utter_answer_secondary"
    else:
        response = "utter_answer_composed"
    out.say(response, answer=composed.text, source=composed.sources[0])
    if composed.more:
        out.say("utter_offer_more")


def composed_answers(
    turn: Turn,
    state: ConversationState,
    lead: NoticeExplanation | None,
    answers: Answers,
    *,
    today: dt.date,
) -> list[Composed]:
    """The short answers to what the message asks: each sentence that a card answers (at most
    ``MAX_ANSWERS``), else the whole message's."""
    text = turn.text.strip()
    if not text:
        return []
    context = Context(
        today=today,
        notice_code=lead.notice.code if lead else state.notice_code,
        deadline=lead.deadline if lead else None,
        amount=question_amount(text.lower()) or state.amount,
    )
    found: list[Composed] = []
    sentences = [s for s in _SENTENCES.split(text) if s.strip()]
    if len(sentences) > 1:
        for sentence in sentences:
            amount = question_amount(sentence.lower())
            here = replace(context, amount=amount or context.amount)
            composed = answers.compose(sentence, here)
            if composed is not None and all(c.card != composed.card for c in found):
                found.append(composed)
    if not found:
        whole = answers.compose(text, context)
        found = [whole] if whole is not None else []
    return found[:MAX_ANSWERS]


def _calendar_notice(
    facts: MessageFacts,
    explanations: Sequence[NoticeExplanation],
    lead: NoticeExplanation | None,
    *,
    catalog: Catalog,
) -> NoticeExplanation | None:
    """The notice whose calendar file is asked for: the one named (the button names it), else
    the one whose deadline comes first."""
    for mention in facts.notices:
        notice = catalog.resolve(mention.code)
        found = next((e for e in explanations if notice and e.notice.code == notice.code), None)
        if found is not None:
            return found
    return lead


def _has_situation(state: ConversationState) -> bool:
    return any(
        value is not None
        for value in (
            state.agrees_with_amount,
            state.can_pay_in_full,
            state.hardship,
            state.missed_installment,
            state.installment_agreement,
            state.amount,
        )
    ) or bool(state.red_flags)


def respond(
    state: ConversationState,
    turn: Turn,
    *,
    catalog: Catalog,
    today: dt.date,
    firm: FirmProfile,
    answers: Answers,
    now: dt.datetime | None = None,
) -> TurnResult:
    """Decide what to say to one message (see the module's docstring for the order); ``now``
    (the firm's clock by default) times the reminders."""
    # a photo or PDF of the notice: read back first; its facts count only after a yes
    document = document_turn(
        state, turn.facts, intent=turn.intent, document=turn.document, text=turn.text
    )
    if document.replies is not None:
        return TurnResult(document.replies, document.state)
    state = document.state
    turn = replace(turn, facts=document.facts, text=document.text or turn.text)
    intent = turn.intent
    facts = turn.facts
    new, notes = absorb(
        state,
        facts,
        intent=intent,
        confidence=turn.confidence,
        catalog=catalog,
        today=today,
        words=len(turn.text.split()),
    )
    out = _Reply()
    out.extend(document.first)
    kinds = _question_kinds(turn)
    understood = facts.states_something or bool(kinds) or notes.answered or facts.unsure
    explanations = explain_entries(catalog, new.notices, today=today)
    lead = lead_explanation(explanations)
    asks = (
        bool(kinds)
        or intent in _ASKING_INTENTS
        or "?" in turn.text
        or bool(_QUESTION_WORDS.search(turn.text.lower()))
    )
    composed = composed_answers(turn, new, lead, answers, today=today) if asks else []
    wants_more = bool(_MORE.match(turn.text.strip().lower())) and state.shown.more is not None

    # 1. the safe thing first, then what could not be taken
    scams = [c for c in composed if c.kind == "scam"]
    for answer in scams:
        _say_composed(out, answer)
    if "scam" in kinds and not scams:
        _answer(out, answers.for_kind("scam", notice_code=new.notice_code))
    for code in notes.unknown_codes:
        out.say("utter_notice_unknown", notice_code=code)
    if notes.invalid_dates:
        out.say("utter_notice_date_invalid")

    # 2. the notices: cards not shown yet or whose dates changed, the most urgent first
    memory = new.shown
    changed = [e for e in explanations if memory.cards.get(e.notice.code) != card_fingerprint(e)]
    changed.sort(key=lambda e: e is not lead)
    for explanation in changed:
        out.extend(explanation_replies(explanation))
        out.extend(deadline_replies(explanation))
        out.extend(
            offer_replies(explanation, today=today, reminders=turn.channel in REMINDER_CHANNELS)
        )
    if changed and lead is not None and len(explanations) > 1:
        out.extend(lead_replies(lead, [e for e in explanations if e is not lead]))
    cards = {**memory.cards, **{e.notice.code: card_fingerprint(e) for e in changed}}
    new = new.with_changes(shown=replace(memory, cards=cards, more=None))
    if notes.date_skipped:
        out.say("utter_date_unknown_ok")
    if notes.unsure:
        out.say(f"utter_unsure_{notes.unsure}")

    # "Add to calendar": the notice's calendar file, then what was pending is asked again
    if intent == CALENDAR_INTENT:
        wanted = _calendar_notice(facts, explanations, lead, catalog=catalog)
        out.extend(calendar_replies(wanted, today=today, firm=firm))
        if turn.in_intake:
            return TurnResult(tuple(out.replies), new, INTAKE)
        return _what_next(
            state, new, turn, out, lead=lead, explanations=explanations, notes=notes,
            kinds=kinds, small_talk=not changed, catalog=catalog, today=today, firm=firm,
        )

    # "Remind me" / "stop reminders": reminders in the chat, then what was pending is asked again
    if intent in (REMINDER_INTENT, STOP_INTENT):
        zone = ZoneInfo(firm.timezone)
        now = now or dt.datetime.now(zone)
        if intent == REMINDER_INTENT:
            wanted = _calendar_notice(facts, explanations, lead, catalog=catalog)
            planned: list[Reminder] = []
            if wanted is not None and turn.channel in REMINDER_CHANNELS:
                entry = new.entry(wanted.notice.code) or NoticeEntry(wanted.notice.code)
                planned = plan_reminders(wanted, entry, now=now, zone=zone)
            out.extend(set_replies(wanted, planned, channel=turn.channel, today=today))
            if turn.channel not in REMINDER_CHANNELS:
                out.extend(calendar_replies(wanted, today=today, firm=firm))  # the file instead
            codes = {r.notice.code for r in planned}  # asked again: that notice's are replaced
            kept = [r for r in pending(new.reminders, now=now)
                    if r.get("notice_code") not in codes]
            new = new.with_changes(reminders=(*kept, *(r.as_slot() for r in planned)))
            change: dict[str, Any] = {"schedule": tuple(planned)}
        else:
            out.extend(stop_replies(len(pending(new.reminders, now=now))))
            new = new.with_changes(reminders=())
            change = {"cancel_reminders": True}
        if turn.in_intake:
            return TurnResult(tuple(out.replies), new, INTAKE, **change)
        result = _what_next(
            state, new, turn, out, lead=lead, explanations=explanations, notes=notes,
            kinds=kinds, small_talk=not changed, catalog=catalog, today=today, firm=firm,
        )
        return replace(result, **change)

    # 3. what the message asks: the short composed answer, else the catalog's by kind
    if wants_more:
        _answer(out, answers.topic(str(state.shown.more)))
        understood = True
    elif composed:
        for answer in composed:
            if answer.kind != "scam":
                _say_composed(out, answer)
        offered = next((c.more for c in reversed(composed) if c.more), None)
        new = new.with_changes(shown=replace(new.shown, more=offered))
        understood = True
    else:
        answered = 0
        for kind in kinds:
            if kind in ("scam", "what_to_do", "human") or answered >= MAX_ANSWERS:
                continue
            answered += 1
            if kind == "account_lookup":
                out.say("utter_cannot_look_up")  # the safe thing first: it sees no IRS account
            if kind == "deadline":
                if changed:
                    continue  # the card just said it
                if lead is not None:
                    out.extend(deadline_replies(lead))
                else:
                    out.say("utter_ask_which_notice_deadline")
                continue
            _answer(out, answers.for_kind(kind, notice_code=lead.notice.code if lead else None))
        if intent == "ask_tax_question" and not kinds and not changed:
            found = answers.search(turn.text)
            if found is None:
                out.say("utter_no_answer")
            else:
                # a firm's article is labelled as such; anything else retrieval found is said
                # as the closest thing it has, not as the answer
                _answer(out, found[0], kind="article" if found[1] == "article" else "unsure")
            understood = True

    # 4. small talk, or not understood ("ok" to a date question moves on without the date)
    moves_on = state.pending_question in (*DATE_QUESTIONS, ASK_NOTICE_CODE)
    small_talk = not understood and (
        intent in (*SMALL_TALK, "greet") or (intent in ("affirm", "deny") and not moves_on)
    )
    if not understood and intent == "greet":
        if new.shown.greeted:
            out.say("utter_greet_again")
        else:
            out.say("utter_greet")
            new = new.with_changes(
                shown=replace(new.shown, greeted=True, asked_code=True),
                pending_question=ASK_NOTICE_CODE,
            )
            return TurnResult(tuple(out.replies), new, INTAKE if turn.in_intake else LISTEN)
    elif not understood and intent in SMALL_TALK:
        out.say(SMALL_TALK[str(intent)])
    misunderstood = not understood and intent in (FALLBACK, None)
    if misunderstood:
        if turn.misunderstood_in_a_row >= MISUNDERSTANDINGS_BEFORE_HANDOFF:
            out.say("utter_misunderstood_twice")
        else:
            out.say("utter_misunderstood")

    if turn.in_intake:
        if (new.asked_for_human and not state.asked_for_human) or intent == "request_human":
            out.extend(handoff_replies(firm))
        return TurnResult(tuple(out.replies), new, INTAKE)
    if intent == "goodbye" and not understood:
        return TurnResult(tuple(out.replies), new.with_changes(pending_question=None), LISTEN)

    # 5. what comes next
    return _what_next(
        state,
        new,
        turn,
        out,
        lead=lead,
        explanations=explanations,
        notes=notes,
        kinds=kinds,
        small_talk=small_talk or (misunderstood and turn.misunderstood_in_a_row < 2),
        catalog=catalog,
        today=today,
        firm=firm,
    )


def _what_next(
    before: ConversationState,
    state: ConversationState,
    turn: Turn,
    out: _Reply,
    *,
    lead: NoticeExplanation | None,
    explanations: Sequence[NoticeExplanation],
    notes: Notes,
    kinds: Sequence[str],
    small_talk: bool,
    catalog: Catalog,
    today: dt.date,
    firm: FirmProfile,
) -> TurnResult:
    """A person when asked for, else the next question, else the route (see ``respond``)."""
    handoff = (state.asked_for_human and not before.asked_for_human) or (
        turn.intent == "request_human"
    )
    gave_up = turn.misunderstood_in_a_row >= MISUNDERSTANDINGS_BEFORE_HANDOFF
    answers, _ = triage_answers(
        state, explanations, catalog=catalog, today=today, misunderstood=gave_up
    )
    memory = state.shown
    if handoff or gave_up:
        result = triage(
            answers, catalog=catalog, deadline=lead.deadline if lead else None, year=today.year
        )
        out.extend(handoff_replies(firm))
        out.extend(triage_replies(result)[1:2])  # the steps with the card, not another verdict
        offer = not memory.intake_offered or handoff
        state = state.with_changes(
            route=result.route,
            pending_question=None,
            shown=replace(memory, route=route_fingerprint(result), intake_offered=True),
        )
        return TurnResult(tuple(out.replies), state, INTAKE if offer else LISTEN, result)

    pending = state.pending_question
    if small_talk:
        # small talk moves nothing forward: ask again what was pending, if anything
        if pending is not None and not notes.answered:
            out.extend([_question_reply(pending, state, catalog=catalog, today=today)])
        elif not out.replies:
            out.say("utter_anything_else")
        return TurnResult(tuple(out.replies), state, LISTEN)

    ready = bool(state.notices) or notes.code_unknown or memory.asked_code or _has_situation(state)
    question, state = _next_question(state, lead, answers, catalog=catalog, notes=notes)
    if question is not None and (question == ASK_NOTICE_CODE or ready):
        if "what_to_do" in kinds:
            out.say("utter_what_to_do_needs")
        reasked = memory.reasked + 1 if question == pending and not notes.answered else 0
        out.extend([_question_reply(question, state, catalog=catalog, today=today)])
        state = state.with_changes(
            pending_question=question, shown=replace(state.shown, reasked=reasked)
        )
        return TurnResult(tuple(out.replies), state, LISTEN)
    state = state.with_changes(pending_question=None)
    if not ready:
        if not out.replies:
            out.say("utter_anything_else")
        return TurnResult(tuple(out.replies), state, LISTEN)

    result = triage(
        answers, catalog=catalog, deadline=lead.deadline if lead else None, year=today.year
    )
    fingerprint = route_fingerprint(result)
    next_step = LISTEN
    if fingerprint != state.shown.route:
        out.extend(triage_replies(result))
        memory = replace(state.shown, route=fingerprint)
        if offers_a_person(result) and not memory.intake_offered:
            out.extend(handoff_replies(firm))
            memory = replace(memory, intake_offered=True)
            next_step = INTAKE
        state = state.with_changes(route=result.route, shown=memory)
    elif "what_to_do" in kinds:
        out.extend(reminder_replies(result))
    elif not out.replies:
        out.say("utter_anything_else")
    return TurnResult(tuple(out.replies), state, next_step, result)


def fresh_memory() -> Memory:
    """An empty memory (a new conversation)."""
    return Memory()
