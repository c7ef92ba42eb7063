"""``rasa data validate`` with the same arguments, with one warning left out by design.

An intent that only a reminder fires (``EXTERNAL_*``: ``rasa_ext/reminders.py``) is never typed,
so it has no NLU examples; Rasa's check "listed in the domain but not found in the NLU training
data" would fail ``--fail-on-warnings`` for it. Every other check and warning is Rasa's own.

    python scripts/validate_data.py --config config.yml --domain domain --data data/nlu \\
        data/rules data/stories --fail-on-warnings
"""

from __future__ import annotations

import sys

EXTERNAL_PREFIX = "EXTERNAL_"


def main() -> None:
    """Run Rasa's ``data validate`` with the external intents out of the NLU check."""
    from rasa.validator import Validator

    typed_intents = Validator._non_default_intents

    def without_external(self: Validator) -> list[str]:
        return [i for i in typed_intents(self) if not i.startswith(EXTERNAL_PREFIX)]

    Validator._non_default_intents = without_external  # type: ignore[method-assign]

    import rasa.__main__

    sys.argv = ["rasa", "data", "validate", *sys.argv[1:]]
    rasa.__main__.main()


if __name__ == "__main__":
    main()
