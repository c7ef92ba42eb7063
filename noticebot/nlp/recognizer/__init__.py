"""Rule-based recognizer of notice codes, IRS forms, money amounts, dates and contact details.

One spaCy pipeline (``build_nlp``) finds the candidate spans with an entity ruler built from
``patterns.yml``; the canonicalizers below turn each span into its value ("cp 504" -> "CP504",
"Form 433f" -> "433-F", "$12.4k" -> 12400.0, "March 3" -> "2026-03-03"). dateparser only
normalizes the date spans the ruler found, never the whole text.

A date also gets a role from the cue words in front of it in its clause ("respond by Dec 2" ->
``"deadline"``, "dated Nov 2" -> ``"notice"``, "it came yesterday" -> ``"received"``); the cues
are the ``date_roles`` section of ``patterns.yml``. A notice or received date is never in the
future, so a year-less one is read as the most recent such day.

Contact details for intake come out as ``contact_phone`` (E.164, checked by ``phonenumbers``),
``contact_email`` (normalized by ``email-validator``, offline) and ``contact_name`` (the words
after a cue such as "my name is", found by ``ContactNameFinder``, in title case).

One module per job:

- ``rules``: ``patterns.yml`` and the catalog's notice phrases read once (:func:`load_rules`);
  the labels;
- ``patterns``: the entity ruler's patterns built from those rules;
- ``filter``: the entity filter (spaCy component ``noticebot_entity_filter``);
- ``names``: the contact-name finder (spaCy component ``noticebot_contact_names``);
- ``pipeline``: the tuned tokenizer and :func:`build_nlp`;
- ``values``: canonical notice codes, forms, amounts, phone numbers, e-mail addresses, names;
- ``dates``: the day a date span means and the role its cue words give it;
- ``mentions``: :class:`Mention` and :class:`Recognizer`, which puts it all together.
"""

from noticebot.nlp.recognizer.dates import (
    FUTURE_WINDOW_DAYS,
    PAST_ROLES,
    date_role,
    parse_date,
)
from noticebot.nlp.recognizer.filter import (
    FILTER_NAME,
    EntityFilter,
    amount_trigger_words,
    make_entity_filter,
)
from noticebot.nlp.recognizer.mentions import Mention, Recognizer
from noticebot.nlp.recognizer.names import (
    NAME_FINDER_NAME,
    ContactNameFinder,
    NameCue,
    contact_name_config,
    make_contact_name_finder,
)
from noticebot.nlp.recognizer.patterns import (
    form_patterns,
    form_spellings,
    phrase_patterns,
    ruler_patterns,
    token_patterns,
)
from noticebot.nlp.recognizer.pipeline import build_nlp
from noticebot.nlp.recognizer.rules import (
    BLOCKER_LABEL,
    CONTACT_LABELS,
    DEFAULT_PHONE_REGION,
    LABELS,
    NOTICE_LABELS,
    NOTICES_FILE,
    PATTERNS_PATH,
    DateCues,
    Rules,
    date_cues,
    load_rules,
    notice_phrases,
)
from noticebot.nlp.recognizer.values import (
    canonical_email,
    canonical_form,
    canonical_name,
    canonical_notice_code,
    canonical_phone,
    parse_amount,
)

__all__ = [
    "BLOCKER_LABEL",
    "CONTACT_LABELS",
    "DEFAULT_PHONE_REGION",
    "FILTER_NAME",
    "FUTURE_WINDOW_DAYS",
    "LABELS",
    "NAME_FINDER_NAME",
    "NOTICES_FILE",
    "NOTICE_LABELS",
    "PAST_ROLES",
    "PATTERNS_PATH",
    "ContactNameFinder",
    "DateCues",
    "EntityFilter",
    "Mention",
    "NameCue",
    "Recognizer",
    "Rules",
    "amount_trigger_words",
    "build_nlp",
    "canonical_email",
    "canonical_form",
    "canonical_name",
    "canonical_notice_code",
    "canonical_phone",
    "contact_name_config",
    "date_cues",
    "date_role",
    "form_patterns",
    "form_spellings",
    "load_rules",
    "make_contact_name_finder",
    "make_entity_filter",
    "notice_phrases",
    "parse_amount",
    "parse_date",
    "phrase_patterns",
    "ruler_patterns",
    "token_patterns",
]
