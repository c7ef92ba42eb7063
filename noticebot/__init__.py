"""Domain layer of the IRS notice assistant: knowledge, deadlines and (later) triage and intake.

It never imports rasa or rasa_sdk; the Rasa adapters live in ``actions/`` and ``components/``.
"""

__version__ = "0.1.0"
