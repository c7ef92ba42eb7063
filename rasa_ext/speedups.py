"""Rasa 3.6 costs the project removes at every turn, each measured (``docs/performance.md``).

``install()`` is called by the Rasa launcher (``rasa_ext/serve.py``) before the server starts.
Each change keeps Rasa's behaviour and only removes repeated work:

- **The action server's answer is checked against a schema that is itself checked every time.**
  ``RemoteAction._validate_action_result`` calls ``jsonschema.validate``, which validates the
  schema against its meta-schema before validating the answer: about 19 ms of the ~20 ms it
  takes, at every action call. Here the validator is built once (the schema is a constant) and
  only the answer is validated; an invalid answer raises the same ``ValidationError`` with the
  same added sentence.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_RASA_HINT = (  # the sentence Rasa adds, word for word
    ". Failed to validate Action server response from API, "
    "make sure your response from the Action endpoint is valid. "
    f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
)


@lru_cache(maxsize=1)
def response_validator() -> Validator:
    """The validator of an action server's answer, its schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` without re-checking the schema."""
    try:
        response_validator().validate(result)
    except ValidationError as error:
        error.message += _RASA_HINT
        raise
    return True


def install() -> None:
    """Apply the changes above to this process's Rasa (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result
