"""Start the action server on rasa_sdk alone, without the machine-learning frameworks.

    python -m rasa_ext.serve_actions --actions actions --port 5055

The arguments are those of ``python -m rasa_sdk``. The actions use spaCy (a blank English
pipeline with rules, for the knowledge base's notice codes), and spaCy's thinc imports
TensorFlow, PyTorch and JAX when they are installed, as they are beside Rasa: about 540 MB and two
seconds of start for nothing, since no action runs a neural network. This launcher marks them as
absent for this process only (thinc then runs without them), and then hands over to rasa_sdk's
own ``main``. The Rasa server, which needs TensorFlow, is not affected: it is another process
(``rasa_ext.serve``). ``bench/conversation.py`` prints the action server's resident memory.
"""

from __future__ import annotations

import sys
from collections.abc import MutableMapping
from typing import Any

NOT_NEEDED = ("tensorflow", "torch", "jax")


def block_frameworks(modules: MutableMapping[str, Any] | None = None) -> list[str]:
    """Make ``import tensorflow`` (and the others) raise ImportError in this process.

    Returns the names blocked; a framework already imported is left alone.
    """
    table: MutableMapping[str, Any] = sys.modules if modules is None else modules
    blocked = []
    for name in NOT_NEEDED:
        if name not in table:
            table[name] = None  # the import system raises ModuleNotFoundError for None
            blocked.append(name)
    return blocked


def main() -> None:
    """Block the frameworks, then run rasa_sdk's command line with this process's arguments."""
    block_frameworks()
    from rasa_sdk.__main__ import main as rasa_sdk_main

    sys.argv = ["rasa_sdk", *sys.argv[1:]]
    rasa_sdk_main()


if __name__ == "__main__":
    main()
