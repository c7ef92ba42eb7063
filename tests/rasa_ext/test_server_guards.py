"""The servers' guards outside the channels: the action server's token and JSON-only bodies (on
rasa_sdk alone), the Rasa launcher (no token on the command line), redacting log handlers, the
tracker store's guard over metadata, the case store's private SQLite file and hidden
parameters."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from rasa.shared.core.events import ActionExecuted, UserUttered
from sanic.compat import Header

from noticebot.intake.db import make_engine
from noticebot.settings import PROJECT_ROOT
from rasa_ext.action_server import refusal
from rasa_ext.serve import LOGGING_CONFIG, LaunchError, prepare_arguments
from rasa_ext.tracker_store import redacted_event

# ------------------------------------------------------------------ the action server

TOKEN = "action-token-for-tests"


def action_request(method: str = "POST", path: str = "/webhook", **headers: str) -> Any:
    return SimpleNamespace(method=method, path=path,
                           headers=Header({k.replace("_", "-"): v for k, v in headers.items()}))


@pytest.mark.parametrize("headers", [
    {}, {"X_Action_Token": "wrong"}, {"Authorization": "Bearer wrong"},
    {"Authorization": TOKEN}, {"Content_Type": "application/json"},
])
def test_the_action_server_refuses_a_call_without_its_token(headers: dict[str, str]) -> None:
    for method, path in (("POST", "/webhook"), ("GET", "/actions")):
        answer = refusal(action_request(method, path, **headers), TOKEN)
        assert answer is not None and answer.status == 401


@pytest.mark.parametrize("content_type", ["text/plain", "text/plain;charset=UTF-8",
                                          "application/x-www-form-urlencoded", ""])
def test_the_action_server_takes_json_only(content_type: str) -> None:
    answer = refusal(action_request(X_Action_Token=TOKEN, Content_Type=content_type), TOKEN)
    assert answer is not None and answer.status == 415


def test_the_action_server_lets_rasa_through_and_keeps_health_open() -> None:
    rasa_call = action_request(X_Action_Token=TOKEN, Content_Type="application/json")
    assert refusal(rasa_call, TOKEN) is None
    bearer = action_request(Authorization=f"Bearer {TOKEN}",
                            Content_Type="application/json; charset=utf-8")
    assert refusal(bearer, TOKEN) is None
    assert refusal(action_request("GET", "/actions", X_Action_Token=TOKEN), TOKEN) is None
    assert refusal(action_request("GET", "/health"), TOKEN) is None


def test_rasa_sdk_alone_loads_the_guard_without_importing_rasa() -> None:
    code = ("import sys; import rasa_sdk.plugin as p; plugins = p.plugin_manager().get_plugins(); "
            "print(sorted(type(x).__name__ for x in plugins)); "
            "print(any(m == 'rasa' or m.startswith('rasa.') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True,
                            text=True, check=True, timeout=120)
    assert result.stdout.split("\n")[:2] == ["['ActionServerGuard']", "False"]


def test_the_endpoints_send_the_token_in_a_header() -> None:
    for name in ("endpoints.yml", "endpoints.scaled.yml"):
        endpoint = yaml.safe_load((PROJECT_ROOT / name).read_text())["action_endpoint"]
        assert endpoint["headers"] == {"X-Action-Token": "${ACTION_SERVER_TOKEN}"}
        assert "token" not in endpoint


# ------------------------------------------------------------------ the Rasa launcher


def test_the_launcher_refuses_a_token_on_the_command_line() -> None:
    for argv in (["--enable-api", "--auth-token", "x"], ["--auth-token=x"]):
        with pytest.raises(LaunchError, match="RASA_AUTH_TOKEN"):
            prepare_arguments(argv)


def test_the_launcher_adds_the_logging_configuration_once() -> None:
    assert prepare_arguments(["--enable-api"]) == [
        "run", "--enable-api", "--logging-config-file", str(LOGGING_CONFIG)]
    own = ["--logging-config-file", "other.yml"]
    assert prepare_arguments(own) == ["run", *own]


def test_the_scripts_never_put_a_token_on_a_command_line() -> None:
    for script in ("run.sh", "run_scaled.sh"):
        text = (PROJECT_ROOT / "scripts" / script).read_text()
        assert "--auth-token" not in text and "token=${" not in text
        assert "python -m rasa_ext.serve " in text and "python -m rasa_ext.serve_actions" in text


# ------------------------------------------------------------------ logging


LOGGING_SCRIPT = """
import logging, logging.config, sys, yaml
from noticebot.log_redaction import guard_all_handlers, unguarded_handlers
from rasa_ext.serve import LOGGING_CONFIG

logging.config.dictConfig(yaml.safe_load(LOGGING_CONFIG.read_text()))
configured = [type(h).__name__ for h in logging.getLogger().handlers]
# A library adds a handler of its own afterwards (Sanic does when Rasa creates its app).
late = logging.getLogger("late.library")
late.propagate = False
late.addHandler(logging.StreamHandler(sys.stderr))
before = len(unguarded_handlers())
guard_all_handlers()
after = len(unguarded_handlers())
logging.getLogger("rasa.core.channels.rest").error(
    "rest.message.received.timeout text=%s", "my ssn is 219-09-9999")
late.error("card %s", "4111 1111 1111 1111")
try:
    raise ValueError("routing 021000021 account 000123456789")
except ValueError:
    late.exception("failed")
logging.getLogger("nobody.listens").propagate = False
logging.getLogger("nobody.listens").warning("last resort 219-09-9999")
import warnings
warnings.warn("Failed to parse arguments in line '/inform{\\"ssn\\": \\"219-09-9999\\"}'")
print(configured, before, after)
"""


def test_the_logging_configuration_redacts_and_every_later_handler_is_guarded() -> None:
    result = subprocess.run([sys.executable, "-c", LOGGING_SCRIPT], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=True, timeout=120)
    configured, before, after = result.stdout.strip().rsplit(" ", 2)
    assert configured == "['StreamHandler']" and int(before) >= 1 and after == "0"
    written = result.stderr
    assert "[SSN removed]" in written and "[card number removed]" in written
    assert "last resort" in written and "Traceback" in written
    assert "py.warnings" in written and "Failed to parse arguments" in written
    for needle in ("219-09-9999", "4111 1111", "021000021", "000123456789"):
        assert needle not in written


# ------------------------------------------------------------------ stores


def test_the_tracker_stores_guard_redacts_metadata_and_input_channel() -> None:
    event = UserUttered("hello", input_channel="partner 219-09-9999",
                        metadata={"note": "card 4111 1111 1111 1111",
                                  "assistant_id": "20231204-063512-brisk-tomato"})
    clean = redacted_event(event).as_dict()
    assert "219-09-9999" not in json.dumps(clean) and "4111" not in json.dumps(clean)
    assert clean["metadata"]["assistant_id"] == "20231204-063512-brisk-tomato"
    ordinary = ActionExecuted("action_listen", metadata={"model_id": "1a2b3c", "assistant_id":
                                                         "20231204-063512-brisk-tomato"})
    assert redacted_event(ordinary) is ordinary


def test_the_sqlite_file_is_created_for_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "noticebot.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE t (x TEXT)"))
    engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loose = tmp_path / "loose.db"
    loose.touch(mode=0o644)
    loose.chmod(0o644)
    make_engine(f"sqlite:///{loose}").dispose()
    assert stat.S_IMODE(loose.stat().st_mode) == 0o600


def test_a_case_store_error_never_shows_its_parameters(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'cases.db'}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE c (email TEXT UNIQUE)"))
        connection.execute(sa.text("INSERT INTO c VALUES (:e)"), {"e": "jane@example.com"})
    with pytest.raises(sa.exc.IntegrityError) as raised, engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO c VALUES (:e)"), {"e": "jane@example.com"})
    engine.dispose()
    assert "jane@example.com" not in str(raised.value)
    assert "hidden" in str(raised.value)
