"""The programs around the domain: the ``noticebot`` command line and the chat page's server.

- ``cli``: ``noticebot kb ...``, ``noticebot cases ...``, ``noticebot web`` (the one command);
- ``kb``: build the knowledge index, ask it, explain a notice (also the ``kb`` command);
- ``cases``: the firm's staff's cases: list, show, export, set-status, delete, purge, migrate
  (also the ``cases`` command);
- ``web``: serves the chat page (``web/``) with strict headers (also ``noticebot-web``);
- ``cliargs``: what the command lines share (one-line errors, dates).

The domain (``noticebot`` outside this package) never imports from here.
"""
