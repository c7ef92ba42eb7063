"""rasa_ext.speedups: the cached validator accepts and refuses what Rasa's own check does."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from rasa_ext import speedups

VALID: list[dict[str, Any]] = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "notice_code", "value": "CP504", "timestamp": None}],
     "responses": [{"response": "utter_greet"}, {"text": "hello", "buttons": []}]},
    {"events": [{"event": "followup", "name": "action_listen"}], "responses": []},
]
INVALID: list[dict[str, Any]] = [
    {"events": "not a list", "responses": []},
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": [], "responses": ["a bare string"]},
]


def _action() -> RemoteAction:
    return RemoteAction("action_respond", EndpointConfig("http://127.0.0.1:1/webhook"))


def _rasa_verdict(result: dict[str, Any]) -> str | None:
    """Rasa's own check: None when valid, else the error message."""
    try:
        RemoteAction._validate_action_result(_action(), result)
    except ValidationError as error:
        return error.message
    return None


@pytest.mark.parametrize("result", VALID)
def test_valid_answers_pass_both(result: dict[str, Any]) -> None:
    assert _rasa_verdict(result) is None
    assert speedups.validate_action_result(_action(), result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_answers_fail_with_rasas_message(result: dict[str, Any]) -> None:
    expected = _rasa_verdict(result)
    assert expected is not None and "Failed to validate Action server response" in expected
    with pytest.raises(ValidationError) as raised:
        speedups.validate_action_result(_action(), result)
    assert raised.value.message == expected


def test_install_replaces_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RemoteAction, "_validate_action_result",
                        RemoteAction._validate_action_result)
    speedups.install()
    assert RemoteAction._validate_action_result is speedups.validate_action_result
    with pytest.raises(ValidationError):
        _action()._validate_action_result(INVALID[0])
