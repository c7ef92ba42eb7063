"""Start the Rasa server with its secrets read in the process, never on its command line.

    python -m rasa_ext.serve --model models --enable-api --port 5005 \\
        --endpoints endpoints.yml --credentials credentials.yml

The arguments are those of ``rasa run``. What this adds to Rasa's own ``main``:

- With ``--enable-api``, the HTTP API always needs a token: ``RASA_AUTH_TOKEN`` from the
  environment, else ``var/rasa-api-token`` (generated on first run, mode 0600). It is handed to
  Rasa's ``run`` command inside the process; ``--auth-token`` on the command line (where ``ps``
  shows it to every user of the machine) is refused.
- ``ACTION_SERVER_TOKEN`` is put into this process's environment (from ``var/`` when unset), so
  ``endpoints.yml`` sends it to the action server in a header.
- ``rasa_ext.speedups``: repeated work Rasa does at every turn, removed (docs/performance.md).
- ``rasa_ext.reminders``: reminders kept in the database (they survive a restart and, with
  several servers, fire once), and the task that sends them when due.
- Logging: ``deploy/logging.yml`` unless another ``--logging-config-file`` is given. Rasa 3.6
  installs ``coloredlogs`` after reading that file, which replaces the file's console handler
  with one without the redacting filter: here it only sets the root level instead. Once Rasa's
  Sanic app exists (Sanic adds handlers of its own), every handler gets the redacting filter.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

from noticebot.log_redaction import guard_all_handlers
from noticebot.settings import PROJECT_ROOT, secret

LOGGING_CONFIG = PROJECT_ROOT / "deploy" / "logging.yml"


class LaunchError(SystemExit):
    """The command line cannot be used; the message says why."""


def prepare_arguments(argv: list[str]) -> list[str]:
    """``rasa run`` arguments with the logging configuration; refuses ``--auth-token``."""
    if any(arg == "--auth-token" or arg.startswith("--auth-token=") for arg in argv):
        raise LaunchError(
            "rasa_ext.serve: do not pass --auth-token (any user can read a command line with "
            "ps); set RASA_AUTH_TOKEN in the environment or let var/rasa-api-token be used."
        )
    arguments = ["run", *argv]
    if not any(a == "--logging-config-file" or a.startswith("--logging-config-file=")
               for a in argv):
        arguments += ["--logging-config-file", str(LOGGING_CONFIG)]
    return arguments


def _root_level_only(loglevel: Any = None) -> None:
    """Stands in for Rasa's ``configure_colored_logging``: the level, not a new handler."""
    level = loglevel or os.environ.get("LOG_LEVEL") or "INFO"
    logging.getLogger().setLevel(level)


def _with_api_token(run: Callable[[Any], None], token: str) -> Callable[[Any], None]:
    @wraps(run)
    def run_with_token(args: Any) -> None:
        if getattr(args, "enable_api", False):
            args.auth_token = token
        run(args)

    return run_with_token


def _guarding(configure_app: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(configure_app)
    def configure_then_guard(*args: Any, **kwargs: Any) -> Any:
        app = configure_app(*args, **kwargs)
        guard_all_handlers()
        # A widget message may carry a photo or PDF of a notice (rasa_ext.documents): Sanic's
        # websocket frames (1 MB by default) must fit it; set before the server builds them.
        from rasa_ext.documents import message_size_limit

        app.config.WEBSOCKET_MAX_SIZE = max(app.config.WEBSOCKET_MAX_SIZE, message_size_limit())
        # Reminders kept in the database are looked for while the server runs.
        from rasa_ext import reminders

        reminders.attach(app)

        async def guard_again(*_: Any) -> None:  # handlers added while the server starts
            guard_all_handlers()

        app.register_listener(guard_again, "before_server_start")
        return app

    return configure_then_guard


def main(argv: list[str] | None = None) -> None:
    """Run ``rasa run`` with the project's secrets and logging."""
    arguments = prepare_arguments(list(sys.argv[1:] if argv is None else argv))
    os.environ["ACTION_SERVER_TOKEN"] = secret("ACTION_SERVER_TOKEN")
    api_token = secret("RASA_AUTH_TOKEN") if "--enable-api" in arguments else ""

    import rasa.__main__
    import rasa.cli.run
    import rasa.core.run
    import rasa.utils.io

    from rasa_ext import reminders, speedups

    speedups.install()
    reminders.install()
    rasa.utils.io.configure_colored_logging = _root_level_only
    rasa.core.run.configure_app = _guarding(rasa.core.run.configure_app)
    if api_token:
        rasa.cli.run.run = _with_api_token(rasa.cli.run.run, api_token)
    # Rasa's main reads sys.argv; /proc/<pid>/cmdline (what ps shows) is not changed by this.
    sys.argv = ["rasa", *arguments]
    rasa.__main__.main()


if __name__ == "__main__":
    main()
