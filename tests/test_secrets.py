"""Secrets: from the environment, else generated once into private files; web session tokens;
conversation ids namespaced by channel."""

from __future__ import annotations

import multiprocessing
import stat
from pathlib import Path

import pytest

from noticebot.secret_files import SECRETS, SecretFileError, read_or_create, read_secret
from noticebot.senders import MAX_CLIENT_ID_CHARS, channel_of, client_id, sender_id
from noticebot.settings import Settings, secret
from noticebot.web_sessions import new_session_token, session_of


def test_a_secret_is_generated_once_into_a_file_only_its_owner_reads(tmp_path: Path) -> None:
    path = tmp_path / "var" / "rasa-api-token"
    first = read_or_create(path)
    assert len(first) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_or_create(path) == first
    assert [p.name for p in path.parent.iterdir()] == ["rasa-api-token"]  # no temporary left


def test_the_environment_wins_and_blank_counts_as_unset(tmp_path: Path) -> None:
    assert read_secret("RASA_AUTH_TOKEN", tmp_path, {"RASA_AUTH_TOKEN": "from-env"}) == "from-env"
    assert not (tmp_path / SECRETS["RASA_AUTH_TOKEN"]).exists()
    generated = read_secret("RASA_AUTH_TOKEN", tmp_path, {"RASA_AUTH_TOKEN": "  "})
    assert (tmp_path / "rasa-api-token").read_text().strip() == generated


def test_the_secrets_folder_comes_from_the_settings(tmp_path: Path) -> None:
    env = {"NOTICEBOT_SECRETS_DIR": str(tmp_path)}
    assert Settings.from_env(env).secrets_dir == tmp_path
    value = secret("SESSION_SECRET", env)
    assert (tmp_path / "session-secret").read_text().strip() == value
    assert Settings.from_env({}).secrets_dir.name == "var"


def _create(path: str) -> str:
    return read_or_create(Path(path))


def test_servers_starting_together_end_with_one_secret(tmp_path: Path) -> None:
    path = tmp_path / "action-server-token"
    with multiprocessing.get_context("fork").Pool(8) as pool:
        values = pool.map(_create, [str(path)] * 32)
    assert len(set(values)) == 1


def test_a_secret_file_others_can_read_or_an_empty_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rest-webhook-token"
    path.write_text("shared\n")
    path.chmod(0o644)
    with pytest.raises(SecretFileError, match="chmod 600"):
        read_or_create(path)
    path.chmod(0o600)
    path.write_text("\n")
    with pytest.raises(SecretFileError, match="empty"):
        read_or_create(path)


# ------------------------------------------------------------------ web sessions


def test_a_session_token_is_an_id_and_the_servers_signature() -> None:
    token = new_session_token("key")
    session, signature = token.split(".")
    assert len(session) == 32 and len(signature) == 43
    assert session_of(token, "key") == session
    assert new_session_token("key") != token


@pytest.mark.parametrize("presented", [
    "{session}",                      # the bare id: known from a case or a log line
    "{session}.",                     # no signature
    "{session}." + "A" * 43,          # a forged one
    "{session}.{signature}x",         # tampered
    "{other}.{signature}",            # another id with this signature
    "{session}.{signature}.extra",
    None, 42, "", "../../etc",
])
def test_a_token_the_server_did_not_sign_gives_no_session(presented: object) -> None:
    token = new_session_token("key")
    session, signature = token.split(".")
    if isinstance(presented, str):
        presented = presented.format(session=session, signature=signature, other="f" * 32)
    assert session_of(presented, "key") is None
    assert session_of(token, "another key") is None


# ------------------------------------------------------------------ conversation ids


def test_each_channel_has_its_own_conversations() -> None:
    assert sender_id("rest", "abc") == "rest:abc"
    assert sender_id("telegram", 7001) == "telegram:7001"
    assert sender_id("rest", "telegram:7001") == "rest:telegram:7001"  # never Telegram's
    assert client_id("telegram", "telegram:7001") == "7001"
    assert client_id("telegram", "7001") == "7001"
    assert channel_of("socketio:5f0c") == "socketio"
    assert channel_of("default") is None and channel_of("other:x") is None
    assert len(sender_id("socketio", "s" * MAX_CLIENT_ID_CHARS)) == 255
