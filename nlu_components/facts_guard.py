"""Rasa NLU guard: a message that states something is never "not understood".

The intent classifier and the ``FallbackClassifier`` only know intents. A long message with a
notice code, a date, an amount and a situation can land under the fallback threshold and become
``nlu_fallback``, and the person hears "Sorry, I didn't catch that" although every fact was
read. After the fallback classifier, this component gives such a message back its best intent
(the next one in the ranking), or, when the classifier had nothing useful, the intent its facts
point to (a notice -> ``report_notice``, a dispute -> ``dispute_notice``...; a contact detail ->
``inform``). A message that states nothing stays ``nlu_fallback``.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from nlu_components.notice_entities import FACTS
from noticebot.reading import MessageFacts

FALLBACK = "nlu_fallback"
# An intake detail (a name after "call me", an e-mail address, a phone number) is an answer.
CONTACT_ENTITIES = frozenset({"contact_name", "contact_email", "contact_phone"})
# Intents that the classifier may rank under the fallback but that fit a message with facts.
FACT_INTENTS = frozenset(
    {
        "report_notice",
        "inform",
        "dispute_notice",
        "can_pay",
        "cannot_pay",
        "report_hardship",
        "missed_payment",
        "request_human",
        "ask_deadline",
        "ask_consequences",
        "ask_payment_plan",
        "ask_settlement",
        "ask_penalty_relief",
        "ask_appeal",
        "ask_how_to_pay",
        "check_scam",
        "ask_tax_question",
    }
)


def intent_of_facts(facts: MessageFacts) -> str | None:
    """The intent a message's facts point to, or ``None`` when it states nothing."""
    if facts.wants_human:
        return "request_human"
    if facts.notices:
        return "report_notice"
    if facts.agrees is False:
        return "dispute_notice"
    if facts.missed_installment:
        return "missed_payment"
    if facts.hardship:
        return "report_hardship"
    if facts.can_pay_in_full is not None:
        return "can_pay" if facts.can_pay_in_full else "cannot_pay"
    if facts.asks:
        return "ask_tax_question"
    if facts.states_something:
        return "inform"
    if facts.answer_word is not None:
        return "affirm" if facts.answer_word == "yes" else "deny"
    if facts.unsure or facts.no_date:
        return "deny"  # "not sure", "i don't have it": an answer, not noise
    if facts.acknowledgement:
        return "affirm"
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FactsGuard(GraphComponent, IntentClassifier):
    """Turn ``nlu_fallback`` back into an intent when the message states a fact."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FactsGuard:
        """The guard (nothing to train)."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Replace ``nlu_fallback`` for messages whose facts say something."""
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) != FALLBACK:
                continue
            facts = MessageFacts.from_dict(message.get(FACTS))
            if any(e.get("entity") in CONTACT_ENTITIES for e in message.get(ENTITIES) or []):
                message.set(
                    INTENT, {INTENT_NAME_KEY: "inform", "confidence": 1.0}, add_to_output=True
                )
                continue
            if not (
                facts.states_something
                or facts.asks
                or facts.unsure
                or facts.no_date
                or facts.acknowledgement
                or facts.answer_word
            ):
                continue
            ranking = [
                entry
                for entry in message.get(INTENT_RANKING_KEY, [])
                if entry.get(INTENT_NAME_KEY) in FACT_INTENTS
            ]
            chosen = ranking[0] if ranking and ranking[0].get("confidence", 0) > 0 else None
            name = chosen[INTENT_NAME_KEY] if chosen else intent_of_facts(facts)
            if name is None:
                continue
            confidence = float(chosen["confidence"]) if chosen else 1.0
            message.set(
                INTENT, {INTENT_NAME_KEY: name, "confidence": confidence}, add_to_output=True
            )
        return messages
