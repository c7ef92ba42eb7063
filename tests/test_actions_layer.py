"""The actions are adapters: the domain imports no Rasa, no action imports another, and every
action that answers derives from ``actions.common.Adapter`` (services and prologue once)."""

from __future__ import annotations

import inspect

import actions.conversation
import actions.intake
from actions.common import Adapter
from noticebot.settings import PROJECT_ROOT
from tests.test_layers import imported_modules

SHARED = ("actions.common", "actions.services")


def test_the_domain_imports_no_rasa_sanic_or_actions() -> None:
    offending = [
        f"{source.relative_to(PROJECT_ROOT)}: {module}"
        for source in sorted((PROJECT_ROOT / "noticebot").rglob("*.py"))
        for module in sorted(imported_modules(source))
        if module.split(".")[0] in ("rasa", "rasa_sdk", "sanic", "actions", "rasa_ext")
    ]
    assert not offending, offending


def test_no_action_module_imports_another() -> None:
    offending = []
    for source in sorted((PROJECT_ROOT / "actions").glob("*.py")):
        this = f"actions.{source.stem}"
        for module in imported_modules(source):
            if module.startswith("actions.") and not module.startswith((*SHARED, this)):
                offending.append(f"{this}: {module}")
    assert not offending, offending


def test_every_answering_action_is_an_adapter() -> None:
    found = [
        cls
        for module in (actions.conversation, actions.intake)
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__ and hasattr(cls, "name")
    ]
    not_adapters = [cls.__name__ for cls in found
                    if not issubclass(cls, Adapter) and cls.__name__ != "ValidateIntakeForm"]
    assert len(found) >= 6 and not not_adapters, not_adapters


def test_the_action_server_registers_every_action_and_not_the_base() -> None:
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    assert {"action_respond", "action_deadline_reminder", "action_submit_intake",
            "action_ask_intake_consent", "action_ask_intake_confirmed",
            "validate_intake_form"} <= set(executor.actions)
