"""Domain layer of the IRS notice assistant. It never imports rasa or rasa_sdk: the Rasa adapters
live in ``actions/``, ``nlu_components/``, ``rasa_ext/`` and ``rasa_sdk_plugins/``.

- ``nlp/``: the rule recognizer (notice codes, forms, amounts, dates, contact details);
  ``reading/``: every fact a message states; ``conversation/``: ``respond``, what to say next,
  and the case draft; ``reply``: ``Reply``, one bot message named by its response.
- ``knowledge/``: the catalog model and its source rules, ingestion of a firm's articles,
  retrieval; ``deadlines``, ``notices`` (the ``notice_summary``), ``triage`` (routes),
  ``composer`` and ``answers`` (answers to questions), ``calendar_file`` (the ``.ics``),
  ``reminders`` and ``reminder_store`` (reminders in the chat), ``documents`` (a photo or PDF of
  a notice), ``handoff`` (a person).
- ``intake/``: cases (model, store, migrations, export, the intake conversation's rules).
- ``privacy`` and ``log_redaction``, ``senders`` and ``web_sessions``, ``secret_files``,
  ``settings``, ``clock``.
- Apart from the domain (nothing above imports them): ``apps/``, the programs (``noticebot
  kb|cases|web``, the chat page's server); ``adapters/``, the staff webhook.

Names and payloads the outside relies on: docs/contract.md; the whole tree:
docs/architecture.md.
"""

__version__ = "0.1.0"
