"""rasa_sdk's plugin hook (rasa_sdk.plugin imports a package of this name when there is one).

It registers the project's action server guard (``rasa_ext/action_server.py``: the shared token,
JSON bodies only, redacting log handlers) whichever way rasa_sdk is started from the checkout.
"""

from __future__ import annotations

import pluggy

try:
    from rasa_ext.action_server import init_hooks as _init_hooks
except ModuleNotFoundError as error:  # rasa_sdk would swallow it and start without the guard
    raise RuntimeError(f"the action server guard cannot be loaded: {error}") from error


def init_hooks(manager: pluggy.PluginManager) -> None:
    """Called by rasa_sdk with its plugin manager."""
    _init_hooks(manager)
