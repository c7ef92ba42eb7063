"""Document ingestion: a firm's articles in, clean passages tagged with notice codes and forms out.

Firms write marketing: phone numbers, calls to action, author bios, their own name on every other
line. Ingestion keeps the facts and drops the rest, sentence by sentence, so a factual sentence
survives in a salesy paragraph. The drop rules are data (``marketing.yml``); the firm's and the
author's names are learned from the document itself ("At Acme Tax Relief, we ...", "Acme can
help", "Acme's attorneys", "I'm Jane Doe, an enrolled agent", "visit acme.tax", the page's
``<title>`` and ``og:site_name``) and every sentence naming one, possessive or not, is dropped. A
heading that is marketing drops its whole section. Image captions above the title, sentences
pointing back at a list that was lost ("All of these programs ..."), and passages too short to
teach anything go too.

Sentences come from spaCy's ``sentencizer`` on a blank English pipeline; notice codes and forms
from the project's recognizer. A passage carries the codes it mentions plus the document's own
subject: the codes named in its title, and a code that dominates the whole article.

One module per job, in the order an article goes through them:

- ``rules``: ``marketing.yml`` compiled into regular expressions (:func:`load_rules`);
- ``reading``: a ``.txt``, Markdown or HTML file in, its text, title and site names out;
- ``structure``: sections, lines and sentences (the shapes the other modules pass around);
- ``names``: the firm's and the author's names, learned from the document;
- ``drops``: why a sentence or heading is marketing, and the cleaner that keeps the rest;
- ``passages``: the kept sentences cut into tagged passages; :func:`ingest_path`;
- ``patterns``: the regular expressions several of them share.
"""

from noticebot.knowledge.ingest.drops import clean_text, drop_reason, sentence_splitter
from noticebot.knowledge.ingest.names import (
    find_firm_names,
    firm_addresses,
    has_phone_number,
    names_pattern,
)
from noticebot.knowledge.ingest.passages import (
    DEFAULT_MAX_CHARS,
    DEFAULT_MIN_CHARS,
    ingest_path,
    passages_from_text,
)
from noticebot.knowledge.ingest.reading import (
    SUPPORTED_SUFFIXES,
    IngestError,
    guess_title,
    html_to_text,
    read_document,
)
from noticebot.knowledge.ingest.rules import (
    RULES_PATH,
    MarketingRules,
    fold,
    fold_line,
    load_rules,
)
from noticebot.knowledge.ingest.structure import split_sections, tidy

__all__ = [
    "DEFAULT_MAX_CHARS",
    "DEFAULT_MIN_CHARS",
    "RULES_PATH",
    "SUPPORTED_SUFFIXES",
    "IngestError",
    "MarketingRules",
    "clean_text",
    "drop_reason",
    "find_firm_names",
    "firm_addresses",
    "fold",
    "fold_line",
    "guess_title",
    "has_phone_number",
    "html_to_text",
    "ingest_path",
    "load_rules",
    "names_pattern",
    "passages_from_text",
    "read_document",
    "sentence_splitter",
    "split_sections",
    "tidy",
]
