"""The "Add to calendar" file of a notice: an iCalendar (RFC 5545) ``.ics`` built in memory.

One all-day event per date still ahead: the response deadline and each right that expires
(``noticebot.deadlines`` computes them), with what to do that day and how to reach a person, and
alarms 7 days and 1 day before (an alarm already past is left out). A right that ends on the
response deadline is said in that day's event. Every sentence comes from ``calendar.yml`` of the
knowledge directory.

UIDs are stable (the notice, the date and what ends that day): adding the file again updates the
events instead of doubling them. The file says nothing about the person: the notice's code, title
and dates, the catalog's words, and the firm's own contacts. Nothing is written to disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from icalendar import Alarm, Calendar, Event

from noticebot.deadlines import (
    BASIS_ESTIMATED,
    BASIS_NEEDS_NOTICE_DATE,
    BASIS_NEEDS_PRINTED_DATE,
)
from noticebot.notices import NoticeExplanation, say_day
from noticebot.reply import Reply
from noticebot.settings import FirmProfile

CALENDAR_FILE = "calendar.yml"
PRODID = "-//noticebot//IRS notice assistant//EN"
UID_DOMAIN = "irs-notice-assistant.noticebot"
MEDIA_TYPE = "text/calendar"
# Alarms, in days before the event's day.
ALARM_DAYS = (7, 1)
PAYLOAD_TYPE = "calendar_file"
# The intent of the "Add to calendar" button (and of "put it in my calendar").
CALENDAR_INTENT = "add_to_calendar"


@dataclass(frozen=True)
class CalendarText:
    """The sentences of ``calendar.yml`` (the calendar file's, and the chat reminders' of
    ``noticebot.reminders``)."""

    calendar_name: str
    file_name: str
    summary_prefix: str
    summary_joiner: str
    deadline_summary: str
    right_summary: str
    deadline_todo: str
    deadline_estimated: str
    right_todo_form: str
    right_todo: str
    reach_firm: str
    reach_firm_unnamed: str
    reach_neutral: str
    disclaimer: str
    alarm: str
    alarm_day_one: str
    alarm_days_many: str
    reminder_deadline: str
    reminder_right_form: str
    reminder_right: str
    reminder_today: str
    reminder_tomorrow: str
    reminder_in_days: str


def parse_calendar_text(data: Mapping[str, Any]) -> CalendarText:
    """``calendar.yml`` as :class:`CalendarText`; a missing or empty sentence is an error."""
    days = data.get("alarm_days") or {}
    values = {
        **{k: v for k, v in data.items() if k != "alarm_days"},
        "alarm_day_one": days.get("one"),
        "alarm_days_many": days.get("many"),
    }
    names = CalendarText.__dataclass_fields__
    missing = [name for name in names if not isinstance(values.get(name), str) or not values[name]]
    if missing:
        raise ValueError(f"{CALENDAR_FILE}: missing or empty: {', '.join(missing)}")
    kept = {"summary_joiner"}  # said exactly as written
    return CalendarText(
        **{
            name: str(values[name]) if name in kept else " ".join(str(values[name]).split())
            for name in names
        }
    )


@lru_cache(maxsize=4)
def _load(path: Path) -> CalendarText:
    with path.open(encoding="utf-8") as handle:
        return parse_calendar_text(yaml.safe_load(handle) or {})


def calendar_text() -> CalendarText:
    """Read ``calendar.yml`` of the knowledge directory once (on first use, never at import)."""
    from noticebot.settings import get_settings

    return _load(get_settings().knowledge_dir / CALENDAR_FILE)


@dataclass(frozen=True)
class CalendarDay:
    """One event: a date, the short titles and the paragraphs of what ends that day."""

    day: dt.date
    keys: tuple[str, ...]  # "response_deadline" and right ids, for the UID
    titles: tuple[str, ...]
    todo: tuple[str, ...]


@dataclass(frozen=True)
class CalendarFile:
    """A finished ``.ics`` file: its name, its text and the dates it holds."""

    notice_code: str
    filename: str
    content: str
    days: tuple[dt.date, ...]

    @property
    def payload(self) -> dict[str, Any]:
        """The ``calendar_file`` payload the channels turn into a download or a file."""
        return {
            "type": PAYLOAD_TYPE,
            "notice_code": self.notice_code,
            "filename": self.filename,
            "media_type": MEDIA_TYPE,
            "dates": [day.isoformat() for day in self.days],
            "content": self.content,
        }


def _fill(template: str, **values: Any) -> str:
    return " ".join(template.format(**values).split())


def dates_ahead(explanation: NoticeExplanation, *, today: dt.date) -> list[dt.date]:
    """The days a calendar file of the notice would hold (today included), soonest first."""
    deadline = explanation.deadline
    days = {right.last_day for right in deadline.rights if right.last_day is not None}
    if deadline.response_deadline is not None:
        days.add(deadline.response_deadline)
    return sorted(day for day in days if day >= today)


def calendar_days(
    explanation: NoticeExplanation, *, today: dt.date, text: CalendarText
) -> list[CalendarDay]:
    """The dates still ahead (today included), each with what ends that day, soonest first."""
    notice, deadline = explanation.notice, explanation.deadline
    found: dict[dt.date, list[tuple[str, str, str]]] = {}
    if deadline.response_deadline is not None and deadline.response_deadline >= today:
        todo = _fill(
            text.deadline_todo,
            notice_code=notice.code,
            title=notice.title,
            deadline_rule=notice.deadline.text,
        )
        if deadline.basis == BASIS_ESTIMATED:
            todo = f"{todo} {text.deadline_estimated}"
        found.setdefault(deadline.response_deadline, []).append(
            ("response_deadline", text.deadline_summary, todo)
        )
    for right in deadline.rights:
        if right.last_day is None or right.last_day < today:
            continue
        template = text.right_todo_form if right.form else text.right_todo
        todo = _fill(template, right=right.label, form=right.form or "", lost=right.lost)
        title = _fill(text.right_summary, right=right.label)
        found.setdefault(right.last_day, []).append((right.id, title, todo))
    return [
        CalendarDay(
            day=day,
            keys=tuple(key for key, _, _ in items),
            titles=tuple(title for _, title, _ in items),
            todo=tuple(todo for _, _, todo in items),
        )
        for day, items in sorted(found.items())
    ]


def reach_a_person(firm: FirmProfile, text: CalendarText) -> str:
    """How to reach a person: the firm's contacts when set, else free help (as the chat says)."""
    contacts = [c for c in (firm.phone, firm.booking_url, firm.email) if c]
    if not contacts:
        return text.reach_neutral
    if firm.name:
        return _fill(text.reach_firm, firm_name=firm.name, firm_contact=", ".join(contacts))
    return _fill(text.reach_firm_unnamed, firm_contact=", ".join(contacts))


def _uid(code: str, day: CalendarDay) -> str:
    key = "|".join((code, day.day.isoformat(), *day.keys))
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return f"{code.lower()}-{day.day:%Y%m%d}-{digest}@{UID_DOMAIN}"


def _file_name(template: str, code: str) -> str:
    name = template.format(notice_code=code.lower())
    return re.sub(r"[^A-Za-z0-9.-]+", "-", name)


def calendar_file(
    explanation: NoticeExplanation,
    *,
    today: dt.date,
    firm: FirmProfile,
    now: dt.datetime | None = None,
    text: CalendarText | None = None,
) -> CalendarFile | None:
    """The notice's calendar file, or ``None`` when no date lies ahead (no deadline yet, no
    deadline at all, or every date has passed)."""
    text = text or calendar_text()
    days = calendar_days(explanation, today=today, text=text)
    if not days:
        return None
    code = explanation.notice.code
    stamp = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    stamp = stamp.replace(microsecond=0)
    reach = reach_a_person(firm, text)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _fill(text.calendar_name, notice_code=code))
    for day in days:
        summary = " ".join(
            (_fill(text.summary_prefix, notice_code=code), text.summary_joiner.join(day.titles))
        )
        event = Event()
        event.add("uid", _uid(code, day))
        event.add("dtstamp", stamp)
        event.add("dtstart", day.day)
        event.add("dtend", day.day + dt.timedelta(days=1))
        event.add("summary", summary)
        event.add("description", "\n\n".join((*day.todo, reach, text.disclaimer)))
        event.add("transp", "TRANSPARENT")
        for before in ALARM_DAYS:
            if day.day - dt.timedelta(days=before) < today:
                continue  # an alarm already past would ring at once, or never
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -dt.timedelta(days=before))
            words = text.alarm_day_one if before == 1 else text.alarm_days_many
            alarm.add(
                "description",
                _fill(text.alarm, summary=summary, days=_fill(words, days=before)),
            )
            event.add_component(alarm)
        calendar.add_component(event)
    return CalendarFile(
        notice_code=code,
        filename=_file_name(text.file_name, code),
        content=calendar.to_ical().decode("utf-8"),
        days=tuple(day.day for day in days),
    )


def offer_replies(
    explanation: NoticeExplanation, *, today: dt.date, reminders: bool = False
) -> list[Reply]:
    """The "Add to calendar" offer said with a notice's explanation, when a date lies ahead;
    with ``reminders`` (a channel that can send them), reminders in the chat are offered too."""
    if not dates_ahead(explanation, today=today):
        return []
    name = "utter_offer_calendar_reminders" if reminders else "utter_offer_calendar"
    return [Reply(name, {"notice_code": explanation.notice.code})]


def say_days(days: Sequence[dt.date]) -> str:
    """Dates as people read them, joined: "Monday, December 7, 2026 and Tuesday, ..."."""
    said = [say_day(day) for day in days]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + f" and {said[-1]}"


def calendar_replies(
    explanation: NoticeExplanation | None,
    *,
    today: dt.date,
    firm: FirmProfile,
    now: dt.datetime | None = None,
) -> list[Reply]:
    """What "Add to calendar" gets: the file with the dates it holds, or why there is none."""
    if explanation is None:
        return [Reply("utter_calendar_which_notice", {})]
    code = explanation.notice.code
    made = calendar_file(explanation, today=today, firm=firm, now=now)
    if made is None:
        needs_date = explanation.deadline.basis in (
            BASIS_NEEDS_NOTICE_DATE,
            BASIS_NEEDS_PRINTED_DATE,
        )
        name = "utter_calendar_needs_date" if needs_date else "utter_calendar_no_dates"
        return [Reply(name, {"notice_code": code})]
    values = {"notice_code": code, "dates": say_days(made.days)}
    return [Reply("utter_calendar_file", values, payload=made.payload)]
