"""Adapters to services outside the project that are not Rasa: ``notify``, the staff webhook
(``STAFF_WEBHOOK_URL``) the action server tells about a new case.

The Rasa adapters are ``actions/``, ``nlu_components/``, ``rasa_ext/`` and ``rasa_sdk_plugins/``.
The domain (``noticebot`` outside this package) never imports from here.
"""
