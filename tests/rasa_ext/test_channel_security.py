"""The channels' security: conversations owned by channel, the REST webhook's token and its
redacted body, metadata redacted, Telegram's secret required, Slack's replay cache in Redis."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic.compat import Header

from rasa_ext.channels import (
    RedisReplayCache,
    ReplayCache,
    RestInput,
    SlackOutput,
    TelegramInput,
    TelegramOutput,
    guarded,
    owned_by,
    redact_message,
)


def test_a_message_is_filed_under_its_channel() -> None:
    seen: list[str] = []

    async def on_new_message(message: UserMessage) -> None:
        seen.append(message.sender_id)

    for channel, client in (("rest", "abc"), ("telegram", "7001"), ("rest", "telegram:7001")):
        asyncio.run(owned_by(channel, on_new_message)(UserMessage("hi", sender_id=client)))
    assert seen == ["rest:abc", "telegram:7001", "rest:telegram:7001"]


def test_guarded_with_a_channel_files_and_answers_there() -> None:
    out = CollectingOutputChannel()

    async def answers(message: UserMessage) -> None:
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    seen: list[str] = []

    async def answers_and_notes(message: UserMessage) -> None:
        seen.append(message.sender_id)
        await answers(message)

    asyncio.run(guarded(answers_and_notes, "rest")(UserMessage("hi", out, "abc")))
    assert seen == ["rest:abc"]  # the conversation
    assert out.messages == [{"recipient_id": "abc", "text": "ok"}]  # the caller's own id


def test_metadata_and_input_channel_are_redacted() -> None:
    message = UserMessage("hello", CollectingOutputChannel(), "s1",
                          input_channel="partner 219-09-9999",
                          metadata={"note": "ssn 219-09-9999", "deep": [{"card": "4111 1111 1111 "
                                                                                 "1111"}]})
    redact_message(message)
    dumped = json.dumps([message.metadata, message.input_channel])
    assert "219-09-9999" not in dumped and "4111" not in dumped
    assert message.input_channel == "partner [SSN removed]"


def test_the_text_channels_send_to_the_client_behind_the_conversation(
        monkeypatch: pytest.MonkeyPatch) -> None:
    telegram = TelegramOutput("123456:test-token")
    sent: list[Any] = []

    async def send_text_message(recipient_id: str, text: str, **_: Any) -> None:
        sent.append(recipient_id)

    monkeypatch.setattr(telegram, "send_text_message", send_text_message)
    asyncio.run(telegram.send_response("telegram:7001", {"text": "hi"}))
    slack = SlackOutput("xoxb-test")
    monkeypatch.setattr(slack, "send_text_message", send_text_message)
    asyncio.run(slack.send_response("slack:U0PAT", {"text": "hi"}))
    assert sent == ["7001", "U0PAT"]


# ------------------------------------------------------------------ REST


def rest_middleware(seen: list[UserMessage] | None = None) -> Any:
    async def on_new_message(message: UserMessage) -> None:
        (seen if seen is not None else []).append(message)

    blueprint = RestInput().blueprint(on_new_message)
    (middleware,) = [m.middleware for m in blueprint._future_middleware
                     if m.attach_to == "request"]
    return middleware


def request(body: dict[str, Any], ip: str = "127.0.0.1", **headers: str) -> Any:
    return SimpleNamespace(method="POST", path="/webhooks/rest/webhook",
                           body=json.dumps(body).encode(), parsed_json=None, ip=ip,
                           headers=Header({k.replace("_", "-"): v for k, v in headers.items()}))


def token(folder: Path) -> str:
    return (folder / "rest-webhook-token").read_text().strip()


@pytest.mark.parametrize(("ip", "headers"), [
    ("203.0.113.7", {}),                                  # another machine
    ("127.0.0.1", {"X_Forwarded_For": "203.0.113.7"}),    # through a proxy (nginx)
    ("127.0.0.1", {"Forwarded": "for=203.0.113.7"}),
    ("::1", {"X_Real_IP": "203.0.113.7"}),
])
def test_a_rest_message_from_afar_needs_the_token(private_secrets: Path, ip: str,
                                                  headers: dict[str, str]) -> None:
    middleware = rest_middleware()
    body = {"sender": "a", "message": "hi"}
    refused = asyncio.run(middleware(request(body, ip, **headers)))
    assert refused.status == 401
    wrong = asyncio.run(middleware(request(body, ip, Authorization="Bearer nope", **headers)))
    assert wrong.status == 401
    accepted = request(body, ip, Authorization=f"Bearer {token(private_secrets)}", **headers)
    assert asyncio.run(middleware(accepted)) is None


def test_a_rest_message_from_this_machine_needs_no_token() -> None:
    assert asyncio.run(rest_middleware()(request({"sender": "a", "message": "hi"}))) is None


def test_the_rest_body_is_redacted_before_rasas_handler_reads_it() -> None:
    incoming = request({"sender": "a", "message": "my ssn is 219-09-9999",
                        "metadata": {"n": "card 4111 1111 1111 1111"},
                        "input_channel": "ssn 219-09-9999"})
    assert asyncio.run(rest_middleware()(incoming)) is None
    assert incoming.parsed_json == {
        "sender": "a", "message": "my ssn is [SSN removed]",
        "metadata": {"n": "card [card number removed]", "redacted": ["ssn"]},
        "input_channel": "ssn [SSN removed]"}
    assert b"219-09-9999" not in incoming.body and b"4111" not in incoming.body
    assert json.loads(incoming.body) == incoming.parsed_json


# ------------------------------------------------------------------ Telegram


async def ignore(_: UserMessage) -> None:
    return None


def test_telegram_without_its_secret_is_refused_at_start() -> None:
    channel = TelegramInput.from_credentials({"access_token": "123456:test-token",
                                              "verify": "bot", "secret_token": ""})
    with pytest.raises(RasaException, match="TELEGRAM_SECRET_TOKEN"):
        channel.blueprint(ignore)
    with_secret = TelegramInput.from_credentials({"access_token": "123456:test-token",
                                                  "verify": "bot", "secret_token": "s3cret"})
    assert with_secret.blueprint(ignore) is not None


# ------------------------------------------------------------------ Slack replays


def test_the_in_process_replay_cache_remembers_for_its_window() -> None:
    cache = ReplayCache(seconds=0.2)

    async def run() -> list[bool]:
        first, again = await cache.first_time("v0=a"), await cache.first_time("v0=a")
        await asyncio.sleep(0.3)
        return [first, again, await cache.first_time("v0=a")]

    assert asyncio.run(run()) == [True, False, True]


def test_the_redis_replay_cache_is_shared_by_the_servers() -> None:
    import redis

    try:
        redis.Redis(port=6379, db=5, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis on 127.0.0.1:6379 is not reachable ({error})")
        pytest.skip(f"Redis on 127.0.0.1:6379 is not reachable ({error})")
    signature = "v0=" + uuid.uuid4().hex

    async def run() -> list[bool]:
        one = RedisReplayCache("redis://127.0.0.1:6379/5")
        two = RedisReplayCache("redis://127.0.0.1:6379/5")  # the other Rasa server
        try:
            return [await one.first_time(signature), await two.first_time(signature),
                    await one.first_time(signature)]
        finally:
            await one.close()
            await two.close()

    assert asyncio.run(run()) == [True, False, False]


def test_an_unreachable_redis_falls_back_to_this_process() -> None:
    async def run() -> list[bool]:
        cache = RedisReplayCache("redis://127.0.0.1:9/0")
        try:
            return [await cache.first_time("v0=b"), await cache.first_time("v0=b")]
        finally:
            await cache.close()

    assert asyncio.run(run()) == [True, False]
