"""End to end: reminders in the chat survive a restart and come at their time, on a fake clock.

The servers (``scripts/run.sh``) run against the local fake Telegram API. A person asks for
reminders ("Remind me here"), another asks and then says "stop reminders". The servers stop;
they start again under libfaketime (Debian's ``faketime``: ``LD_PRELOAD`` and ``FAKETIME``
reach every process run.sh starts) at the moment the first reminder is due, days ahead. The
reminder, read back from the database at start, reaches the first chat once, saying what to do;
the second chat gets nothing. The scaled profile's "once with two servers" is in
``tests/test_e2e_scaled.py``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_servers import Stack, start_stack
from fake_apis import Call, FakeApis
from test_e2e_channels import (
    keyboard,
    notice_date_words,
    sent_to,
    telegram_button_press,
    telegram_message,
    telegram_post,
)

from noticebot.intake.db import make_engine, make_session_factory
from noticebot.reminder_store import CANCELLED, PENDING, SENT, ReminderStore

pytestmark = pytest.mark.e2e

# Debian's libfaketime, wherever the architecture puts it
LIBFAKETIME = next(iter(sorted(Path("/usr/lib").glob("*/faketime/libfaketime.so.1"))),
                   Path("/usr/lib/faketime/libfaketime.so.1"))
REMIND = '/set_reminders{"notice_code": "LT11"}'
CHAT, STOPPED_CHAT = 7501, 7502


@pytest.fixture(scope="module")
def telegram_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str],
                                                                           FakeApis]]:
    if not LIBFAKETIME.exists():
        pytest.fail("Debian's faketime is not installed (apt-get install faketime; .ci/run does)")
    folder = tmp_path_factory.mktemp("reminders")
    fake = FakeApis().start()
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'reminders.db'}",
        **fake.telegram_env(),
        "REMINDER_POLL_SECONDS": "1",
        "TZ": "UTC",
    }
    try:
        yield env, fake
    finally:
        fake.stop()


def buttons(call: Call) -> list[tuple[str, str]]:
    """Every (title, payload) of a sent message's keyboard, row after row."""
    return [button for row in keyboard(call) for button in row]


def ask_for_reminders(stack: Stack, fake: FakeApis, chat: int) -> None:
    before = len(fake.calls_to("telegram", "sendMessage"))
    telegram_post(stack, telegram_message(chat, f"i got an lt11 dated {notice_date_words(5)}"))
    calls = sent_to(fake.wait_for("telegram", "sendMessage", before,
                                  lambda c: REMIND in str(c.params.get("reply_markup"))), chat)
    (offer,) = [c for c in calls if ("Remind me here", REMIND) in buttons(c)]
    assert ("Add to calendar", '/add_to_calendar{"notice_code": "LT11"}') in buttons(offer)
    before = len(fake.calls_to("telegram", "sendMessage"))
    assert telegram_post(stack, telegram_button_press(chat, REMIND)).status_code == 200
    calls = sent_to(fake.wait_for("telegram", "sendMessage", before,
                                  lambda c: "message you here" in str(c.params.get("text"))), chat)
    assert any("stop reminders" in str(c.params.get("text")) for c in calls)


def test_reminders_survive_a_restart_and_come_once_at_their_time(
    telegram_env: tuple[dict[str, str], FakeApis], tmp_path: Path
) -> None:
    env, fake = telegram_env
    store = ReminderStore(make_session_factory(make_engine(env["DATABASE_URL"])))
    stack = start_stack(tmp_path / "first.log", **env)
    try:
        ask_for_reminders(stack, fake, CHAT)
        ask_for_reminders(stack, fake, STOPPED_CHAT)
        before = len(fake.calls_to("telegram", "sendMessage"))
        telegram_post(stack, telegram_message(STOPPED_CHAT, "please stop the reminders"))
        fake.wait_for("telegram", "sendMessage", before,
                      lambda c: "cancelled your reminders" in str(c.params.get("text")))
    finally:
        stack.stop()

    kept = store.pending(f"telegram:{CHAT}")
    # 7 days and 1 day before the response deadline (about 25 days on) and before the
    # equivalent hearing's last day (a year on)
    assert [r.send_at.date() < dt.date.today() + dt.timedelta(days=40) for r in kept] == [
        True, True, False, False]
    assert store.pending(f"telegram:{STOPPED_CHAT}") == []
    first = kept[0]

    # Days later: the servers start again on a clock set just before the first reminder.
    start = first.send_at - dt.timedelta(seconds=20)
    faked = {**env, "LD_PRELOAD": str(LIBFAKETIME),
             "FAKETIME": start.astimezone(dt.timezone.utc).strftime("@%Y-%m-%d %H:%M:%S"),
             "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
    before = len(fake.calls_to("telegram", "sendMessage"))
    stack = start_stack(tmp_path / "later.log", **faked)
    try:
        calls = sent_to(fake.wait_for(
            "telegram", "sendMessage", before,
            lambda c: "Reminder about your IRS notice LT11" in str(c.params.get("text")),
            timeout=120), CHAT)
        time.sleep(3)  # a few more polls: nothing more may come
        reminders = [c for c in sent_to(fake.calls_to("telegram", "sendMessage")[before:], CHAT)
                     if "Reminder about" in str(c.params.get("text"))]
        assert len(reminders) == 1, [c.params for c in calls]
        text = str(reminders[0].params["text"])
        assert "in 7 days" in text and "last day to respond to IRS notice LT11" in text
        assert "stop reminders" in text
        assert sent_to(fake.calls_to("telegram", "sendMessage")[before:], STOPPED_CHAT) == []
        assert store.status(first.name) == SENT
        assert [store.status(r.name) for r in kept[1:]] == [PENDING] * 3
        assert {r.status for r in store.pending(f"telegram:{STOPPED_CHAT}")} <= {CANCELLED}
    finally:
        stack.stop()
