"""rasa_ext.serve_actions: the action server runs the actions without Rasa or TensorFlow."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from noticebot.settings import PROJECT_ROOT
from rasa_ext.serve_actions import NOT_NEEDED, block_frameworks


def test_block_frameworks_marks_only_what_is_not_imported() -> None:
    modules: dict[str, object] = {"torch": "already here"}
    blocked = block_frameworks(modules)
    assert blocked == [name for name in NOT_NEEDED if name != "torch"]
    assert modules["torch"] == "already here"
    assert all(modules[name] is None for name in blocked)


def test_the_actions_load_and_read_without_rasa_or_tensorflow() -> None:
    """Every action module imports, the recognizer reads a notice, and neither Rasa nor
    TensorFlow is in the process (as in `python -m rasa_ext.serve_actions`)."""
    script = textwrap.dedent("""
        import importlib, pkgutil, sys
        from rasa_ext.serve_actions import block_frameworks
        block_frameworks()
        import actions
        for module in pkgutil.iter_modules(actions.__path__):
            importlib.import_module("actions." + module.name)
        from actions.services import default_knowledge_base
        from noticebot.nlp import Recognizer
        labels = [m.label for m in Recognizer().recognize("got a CP504 for $4,312")]
        default_knowledge_base()
        loaded = sorted(name for name in ("rasa", "tensorflow", "torch", "jax")
                        if sys.modules.get(name) is not None)
        print(sorted(set(labels)), loaded)
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, text=True,
                          capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "['amount', 'notice_code'] []"
