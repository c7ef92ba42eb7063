"""The "Add to calendar" file: an RFC 5545 ``.ics`` read back with the icalendar library."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import yaml
from icalendar import Calendar

from noticebot.calendar_file import (
    CALENDAR_FILE,
    PRODID,
    CalendarText,
    calendar_file,
    calendar_replies,
    calendar_text,
    offer_replies,
    parse_calendar_text,
)
from noticebot.knowledge.catalog import Catalog
from noticebot.notices import NoticeExplanation, explain_notice
from noticebot.settings import PROJECT_ROOT, FirmProfile

TODAY = dt.date(2026, 12, 4)  # a Friday
NOW = dt.datetime(2026, 12, 4, 15, 30, 12, tzinfo=dt.timezone.utc)
NO_FIRM = FirmProfile()
FIRM = FirmProfile(name="Example Tax Help", phone="+1 555 0100", email="team@example.org")


def explain(catalog: Catalog, code: str, **dates: dt.date) -> NoticeExplanation:
    explanation = explain_notice(catalog, code, today=TODAY, **dates)
    assert explanation is not None
    return explanation


def events(content: str) -> list:  # type: ignore[type-arg]
    return Calendar.from_ical(content).walk("VEVENT")


def test_a_final_notice_gets_one_all_day_event_per_date_with_two_alarms(
    catalog: Catalog,
) -> None:
    # Letter 1058 dated Nov 20: respond (and ask for the CDP hearing) by Dec 21 (Dec 20 is a
    # Sunday); the equivalent hearing lasts a year, to Nov 22, 2027 (Nov 20, 2027 is a Saturday)
    made = calendar_file(
        explain(catalog, "LTR1058", notice_date=dt.date(2026, 11, 20)),
        today=TODAY, firm=NO_FIRM, now=NOW,
    )
    assert made is not None
    assert made.filename == "irs-ltr1058-dates.ics"
    assert made.days == (dt.date(2026, 12, 21), dt.date(2027, 11, 22))
    calendar = Calendar.from_ical(made.content)
    assert str(calendar["PRODID"]) == PRODID and str(calendar["VERSION"]) == "2.0"
    first, second = calendar.walk("VEVENT")
    assert first.decoded("DTSTART") == dt.date(2026, 12, 21)  # a date: an all-day event
    assert first.decoded("DTEND") == dt.date(2026, 12, 22)
    assert first.decoded("DTSTAMP") == NOW
    assert str(first["SUMMARY"]) == (
        "IRS LTR1058: last day to respond; Collection Due Process hearing: last day to ask"
    )
    description = str(first["DESCRIPTION"])
    assert "last day to respond to IRS notice LTR1058" in description
    assert "send Form 12153 so that it is postmarked today" in description
    assert "Taxpayer Advocate Service" in description  # how to reach a person
    assert description.endswith("not legal or tax advice.")
    assert second.decoded("DTSTART") == dt.date(2027, 11, 22)
    assert "Equivalent hearing" in str(second["SUMMARY"])
    for event in (first, second):
        alarms = event.walk("VALARM")
        assert [a.decoded("TRIGGER") for a in alarms] == [
            -dt.timedelta(days=7), -dt.timedelta(days=1),
        ]
        assert all(str(a["ACTION"]) == "DISPLAY" for a in alarms)
        assert "(7 days left)" in str(alarms[0]["DESCRIPTION"])
        assert "(1 day left)" in str(alarms[1]["DESCRIPTION"])


def test_uids_are_stable_and_differ_per_date_and_notice(catalog: Catalog) -> None:
    explanation = explain(catalog, "LTR1058", notice_date=dt.date(2026, 11, 20))
    once = calendar_file(explanation, today=TODAY, firm=NO_FIRM, now=NOW)
    later = calendar_file(
        explanation, today=TODAY + dt.timedelta(days=2), firm=FIRM,
        now=NOW + dt.timedelta(days=2),
    )
    assert once is not None and later is not None
    uids = [str(e["UID"]) for e in events(once.content)]
    assert uids == [str(e["UID"]) for e in events(later.content)]  # adding it again updates
    assert len(set(uids)) == 2
    other = calendar_file(
        explain(catalog, "LTR1058", notice_date=dt.date(2026, 11, 23)),
        today=TODAY, firm=NO_FIRM, now=NOW,
    )
    assert other is not None
    assert not set(uids) & {str(e["UID"]) for e in events(other.content)}


def test_collection_appeals_program_rights_are_in_the_file(catalog: Catalog) -> None:
    made = calendar_file(
        explain(catalog, "CP523", notice_date=dt.date(2026, 11, 20)),
        today=TODAY, firm=NO_FIRM, now=NOW,
    )
    assert made is not None
    summaries = [str(e["SUMMARY"]) for e in events(made.content)]
    assert any("Collection Appeals Program appeal: last day" in s for s in summaries)
    assert any("Form 9423" in str(e["DESCRIPTION"]) for e in events(made.content))


def test_an_estimated_deadline_says_the_printed_date_counts(catalog: Catalog) -> None:
    made = calendar_file(
        explain(catalog, "CP14", notice_date=dt.date(2026, 11, 30)),
        today=TODAY, firm=NO_FIRM, now=NOW,
    )
    assert made is not None
    (event,) = events(made.content)
    assert "the printed date counts" in str(event["DESCRIPTION"])


def test_long_lines_are_folded_at_75_octets_and_unfold_to_the_same_text(
    catalog: Catalog,
) -> None:
    made = calendar_file(
        explain(catalog, "LTR1058", notice_date=dt.date(2026, 11, 20)),
        today=TODAY, firm=FIRM, now=NOW,
    )
    assert made is not None
    raw = made.content.encode("utf-8")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # folded continuation lines
    description = str(events(made.content)[0]["DESCRIPTION"])
    assert len(description) > 300
    assert "\n\n" in description  # paragraphs survive the escaping and folding
    assert "To talk to a person at Example Tax Help: +1 555 0100, team@example.org." in (
        description
    )


def test_an_alarm_already_past_is_left_out(catalog: Catalog) -> None:
    # notice date Nov 6 -> deadline Dec 7 (Dec 6 is a Sunday): 3 days ahead, the 7-day alarm
    # would be in the past
    made = calendar_file(
        explain(catalog, "LT11", notice_date=dt.date(2026, 11, 6)),
        today=TODAY, firm=NO_FIRM, now=NOW,
    )
    assert made is not None
    first = events(made.content)[0]
    assert first.decoded("DTSTART") == dt.date(2026, 12, 7)
    assert [a.decoded("TRIGGER") for a in first.walk("VALARM")] == [-dt.timedelta(days=1)]


def test_no_file_without_a_date_ahead_and_a_clear_message_instead(catalog: Catalog) -> None:
    needs_date = explain(catalog, "CP14")
    assert calendar_file(needs_date, today=TODAY, firm=NO_FIRM) is None
    assert offer_replies(needs_date, today=TODAY) == []
    (reply,) = calendar_replies(needs_date, today=TODAY, firm=NO_FIRM)
    assert reply.response == "utter_calendar_needs_date" and reply.payload is None

    no_deadline = explain(catalog, "CP71")
    assert calendar_file(no_deadline, today=TODAY, firm=NO_FIRM) is None
    (reply,) = calendar_replies(no_deadline, today=TODAY, firm=NO_FIRM)
    assert reply.response == "utter_calendar_no_dates"

    passed = explain(catalog, "CP504B", notice_date=dt.date(2026, 9, 1))
    assert calendar_file(passed, today=TODAY, firm=NO_FIRM) is None
    (reply,) = calendar_replies(passed, today=TODAY, firm=NO_FIRM)
    assert reply.response == "utter_calendar_no_dates"

    (reply,) = calendar_replies(None, today=TODAY, firm=NO_FIRM)
    assert reply.response == "utter_calendar_which_notice"


def test_the_reply_carries_the_file_as_a_payload_and_says_its_dates(catalog: Catalog) -> None:
    explanation = explain(catalog, "LTR1058", notice_date=dt.date(2026, 11, 20))
    assert offer_replies(explanation, today=TODAY)[0].values == {"notice_code": "LTR1058"}
    (reply,) = calendar_replies(explanation, today=TODAY, firm=NO_FIRM, now=NOW)
    assert reply.response == "utter_calendar_file"
    assert reply.values["dates"] == "Monday, December 21, 2026 and Monday, November 22, 2027"
    assert reply.payload is not None
    assert reply.payload["type"] == "calendar_file"
    assert reply.payload["media_type"] == "text/calendar"
    assert reply.payload["filename"] == "irs-ltr1058-dates.ics"
    assert reply.payload["dates"] == ["2026-12-21", "2027-11-22"]
    assert Calendar.from_ical(reply.payload["content"]).walk("VEVENT")


def test_every_sentence_comes_from_the_content_file(catalog: Catalog) -> None:
    explanation = explain(catalog, "LT11", notice_date=dt.date(2026, 11, 20))
    text = dataclasses.replace(
        calendar_text(), deadline_summary="RESPOND TODAY", disclaimer="CUSTOM DISCLAIMER"
    )
    made = calendar_file(explanation, today=TODAY, firm=NO_FIRM, now=NOW, text=text)
    assert made is not None
    first = events(made.content)[0]
    assert "RESPOND TODAY" in str(first["SUMMARY"])
    assert str(first["DESCRIPTION"]).endswith("CUSTOM DISCLAIMER")


def test_the_content_file_is_complete_and_a_missing_sentence_is_refused() -> None:
    data = yaml.safe_load((PROJECT_ROOT / "data" / "knowledge" / CALENDAR_FILE).read_text())
    assert isinstance(parse_calendar_text(data), CalendarText)
    with pytest.raises(ValueError, match="disclaimer"):
        parse_calendar_text({k: v for k, v in data.items() if k != "disclaimer"})


def test_the_file_says_nothing_about_the_person(catalog: Catalog) -> None:
    made = calendar_file(
        explain(catalog, "LTR1058", notice_date=dt.date(2026, 11, 20)),
        today=TODAY, firm=NO_FIRM, now=NOW,
    )
    assert made is not None
    content = made.content
    for absent in ("$", "ATTENDEE", "ORGANIZER", "CONTACT", "LOCATION", "@example"):
        assert absent not in content
