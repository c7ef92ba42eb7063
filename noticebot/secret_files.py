"""Secrets the servers need, from the environment or generated once into files of mode 0600.

Four secrets guard the servers (``SECRETS`` maps each variable to its file): the token of
Rasa's HTTP API, the token the Rasa server sends to the action server, the token of the REST
webhook for callers that are not on this machine, and the key that signs the web widget's
session ids. A variable set in the environment wins; otherwise the file under the secrets folder
(``var/`` by default, ``NOTICEBOT_SECRETS_DIR``) is read, and created with a random value on
first use. Creation is atomic (a complete file is linked into place, never overwritten), so
servers starting at the same moment all end with the same value.

The project's own tools read the same files (``read_secret``), so nothing has to be copied by
hand on one machine; several machines set the variables from one secret store instead.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

# Environment variable -> file name in the secrets folder.
SECRETS: dict[str, str] = {
    "RASA_AUTH_TOKEN": "rasa-api-token",
    "ACTION_SERVER_TOKEN": "action-server-token",
    "REST_WEBHOOK_TOKEN": "rest-webhook-token",
    "SESSION_SECRET": "session-secret",
}
TOKEN_BYTES = 32  # 256 bits, written as 43 URL-safe characters
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


class SecretFileError(RuntimeError):
    """A secret file exists but cannot be used (empty, or readable by other users)."""


def read_or_create(path: Path) -> str:
    """The secret in ``path``; a new random one (mode 0600) when the file does not exist."""
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(TOKEN_BYTES) + "\n")
        with contextlib.suppress(FileExistsError):  # another process was first: keep theirs
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SecretFileError(
            f"{path} can be read by other users (mode {mode:o}): run `chmod 600 {path}`"
        )
    value = path.read_text().strip()
    if not value:
        raise SecretFileError(f"{path} is empty: delete it to have a new secret generated")
    return value


def secret_path(variable: str, folder: Path) -> Path:
    """Where the secret named by ``variable`` is kept when the environment does not set it."""
    return folder / SECRETS[variable]


def read_secret(variable: str, folder: Path, environ: Mapping[str, str] | None = None) -> str:
    """The secret named by ``variable``: its environment value, else its file (created once)."""
    env = os.environ if environ is None else environ
    value = env.get(variable, "").strip()
    if value:
        return value
    return read_or_create(secret_path(variable, folder))
