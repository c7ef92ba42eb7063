"""Reminders of a notice's dates, sent in the chat (Telegram and Slack): which ones, and what a
reminder says when it comes.

The person asks for them ("remind me", or the button beside "Add to calendar"). For each date
still ahead that the calendar file would hold (the response deadline and each expiring right,
``noticebot.calendar_file.calendar_days``), a reminder is planned 7 days and 1 day before, at
``REMINDER_HOUR`` in the firm's time zone; one whose time has passed is left out. The Rasa action
turns the plan into Rasa's own ``ReminderScheduled`` events; ``rasa_ext.reminders`` keeps them
in the database, so they survive a restart and, with several Rasa servers, fire once. "Stop
reminders" cancels every one still pending (``ReminderCancelled``).

A reminder carries only the notice (its code and the dates the person gave), the date it is
about and how many days before it fires: nothing about the person. When it fires, the notice is
explained again on that day and ``fired_replies`` says what ends on that date, what to do and how
to reach a person. Every sentence is in ``calendar.yml`` (the ``reminder_*`` keys) and the
``utter_reminder*`` responses of the domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from noticebot.calendar_file import (
    ALARM_DAYS,
    CalendarText,
    calendar_days,
    calendar_text,
    dates_ahead,
    reach_a_person,
    say_days,
)
from noticebot.deadlines import BASIS_NEEDS_NOTICE_DATE, BASIS_NEEDS_PRINTED_DATE
from noticebot.knowledge.catalog import Catalog
from noticebot.notices import (
    NoticeEntry,
    NoticeExplanation,
    explain_entry,
    parse_iso,
    say_day,
)
from noticebot.privacy import letters_digest
from noticebot.reply import Reply
from noticebot.settings import FirmProfile

# "remind me" (and the button), "stop reminders", and the intent a reminder fires with (Rasa
# runs it as an external message: the person never types it).
REMINDER_INTENT = "set_reminders"
STOP_INTENT = "stop_reminders"
FIRED_INTENT = "EXTERNAL_deadline_reminder"
# The channels that can send a message the person did not ask for at that moment.
REMINDER_CHANNELS = frozenset({"telegram", "slack"})
# The local hour a reminder is sent at, in the firm's time zone.
REMINDER_HOUR = 10
RESPONSE_DEADLINE = "response_deadline"


@dataclass(frozen=True)
class Reminder:
    """One planned reminder: the notice, the date it is about, when it is sent."""

    notice: NoticeEntry
    day: dt.date
    days_before: int
    send_at: dt.datetime  # timezone-aware

    @property
    def key(self) -> str:
        """What makes it unique in a conversation (the same request twice plans the same)."""
        return f"{self.notice.code}|{self.day.isoformat()}|{self.days_before}"

    def name(self, conversation_id: str) -> str:
        """A name unique across conversations (Rasa keys a scheduled reminder by its name
        alone), written in letters so the redaction of stored text never takes it for a
        number."""
        return "reminder-" + letters_digest(f"{conversation_id}|{self.key}".encode(), 20)

    def entities(self) -> dict[str, Any]:
        """What the fired reminder carries back (``fired_replies`` reads it)."""
        return {
            "reminder_notice": self.notice.as_slot(),
            "reminder_day": self.day.isoformat(),
            "reminder_days_before": self.days_before,
        }

    def as_slot(self) -> dict[str, Any]:
        """Plain values for the ``reminders`` slot (what "stop reminders" looks at)."""
        return {
            "notice_code": self.notice.code,
            "day": self.day.isoformat(),
            "days_before": self.days_before,
            "send_at": self.send_at.astimezone(dt.timezone.utc).isoformat(),
        }


def send_time(day: dt.date, days_before: int, zone: ZoneInfo) -> dt.datetime:
    """When the reminder ``days_before`` a date is sent: ``REMINDER_HOUR`` local time."""
    return dt.datetime.combine(
        day - dt.timedelta(days=days_before), dt.time(REMINDER_HOUR), tzinfo=zone
    )


def plan_reminders(
    explanation: NoticeExplanation,
    entry: NoticeEntry,
    *,
    now: dt.datetime,
    zone: ZoneInfo,
    text: CalendarText | None = None,
) -> list[Reminder]:
    """The reminders of one notice still to come, soonest first (7 and 1 days before each
    date the calendar file would hold)."""
    text = text or calendar_text()
    today = now.astimezone(zone).date()
    planned = []
    for day in calendar_days(explanation, today=today, text=text):
        for before in ALARM_DAYS:
            at = send_time(day.day, before, zone)
            if at > now:
                planned.append(Reminder(entry, day.day, before, at))
    return sorted(planned, key=lambda r: r.send_at)


def pending(slot: Sequence[Mapping[str, Any]] | None, *, now: dt.datetime) -> list[dict[str, Any]]:
    """The reminders of the ``reminders`` slot not sent yet."""
    out = []
    for item in slot or ():
        try:
            at = dt.datetime.fromisoformat(str(item["send_at"]))
        except (KeyError, TypeError, ValueError):
            continue
        if at > now:
            out.append(dict(item))
    return out




def set_replies(
    explanation: NoticeExplanation | None,
    planned: Sequence[Reminder],
    *,
    channel: str | None,
    today: dt.date,
) -> list[Reply]:
    """What "remind me" gets: when the reminders come, or why there are none. When the first
    date ahead is too close for any reminder, that is said first."""
    if channel not in REMINDER_CHANNELS:
        return [Reply("utter_reminders_not_here", {})]
    if explanation is None:
        return [Reply("utter_reminders_which_notice", {})]
    code = explanation.notice.code
    if planned:
        out = []
        ahead = dates_ahead(explanation, today=today)
        if ahead and ahead[0] not in {r.day for r in planned}:
            out.append(Reply("utter_reminders_too_close", {"notice_code": code}))
        sends = sorted({r.send_at.date() for r in planned})
        about = sorted({r.day for r in planned})
        values = {"notice_code": code, "send_days": say_days(sends), "dates": say_days(about)}
        return [*out, Reply("utter_reminders_set", values)]
    basis = explanation.deadline.basis
    if basis in (BASIS_NEEDS_NOTICE_DATE, BASIS_NEEDS_PRINTED_DATE):
        return [Reply("utter_reminders_need_date", {"notice_code": code})]
    if explanation.deadline.response_deadline is not None or any(
        right.last_day is not None for right in explanation.deadline.rights
    ):
        return [Reply("utter_reminders_too_close", {"notice_code": code})]
    return [Reply("utter_calendar_no_dates", {"notice_code": code})]


def stop_replies(stopped: int) -> list[Reply]:
    """What "stop reminders" gets."""
    if stopped:
        return [Reply("utter_reminders_stopped", {"count": stopped})]
    return [Reply("utter_reminders_none_set", {})]


def _when(day: dt.date, today: dt.date, text: CalendarText) -> str:
    left = (day - today).days
    template = {0: text.reminder_today, 1: text.reminder_tomorrow}.get(left, text.reminder_in_days)
    return template.format(days=left, day=say_day(day))


def _todo(explanation: NoticeExplanation, day: dt.date, text: CalendarText) -> list[str]:
    """What ends on ``day`` for this notice, as the reminder says it."""
    notice, deadline = explanation.notice, explanation.deadline
    todo = []
    if deadline.response_deadline == day:
        todo.append(
            " ".join(
                text.reminder_deadline.format(
                    notice_code=notice.code, title=notice.title, deadline_rule=notice.deadline.text
                ).split()
            )
        )
    for right in deadline.rights:
        if right.last_day != day:
            continue
        template = text.reminder_right_form if right.form else text.reminder_right
        todo.append(
            " ".join(template.format(right=right.label, form=right.form or "", lost=right.lost)
                     .split())
        )
    return todo


def fired_replies(
    entities: Mapping[str, Any],
    *,
    catalog: Catalog,
    today: dt.date,
    firm: FirmProfile,
    text: CalendarText | None = None,
) -> list[Reply]:
    """What a reminder says when it fires; nothing when the date has passed or no longer
    applies (the notice's dates were corrected since)."""
    text = text or calendar_text()
    try:
        entry = NoticeEntry.from_slot(entities["reminder_notice"])
        day = parse_iso(entities["reminder_day"])
    except (KeyError, TypeError, ValueError):
        return []
    if day is None or day < today:
        return []
    explanation = explain_entry(catalog, entry, today=today)
    if explanation is None:
        return []
    todo = _todo(explanation, day, text)
    if not todo:
        return []
    values = {
        "notice_code": explanation.notice.code,
        "when": _when(day, today, text),
        "todo": " ".join(todo),
        "reach": reach_a_person(firm, text),
    }
    return [Reply("utter_reminder", values)]
