"""Ingestion: firm articles in, facts out; phone numbers, calls to action, bios and firm names gone.

The seed articles are real marketing articles by tax-relief firms. They are read from
``NOTICEBOT_SEEDS_DIR`` (default ``<repo>/../shared/seeds``) and never copied into the repository;
the expectations below are a small table of facts about them, not quotes.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import phonenumbers
import pytest

from noticebot.knowledge.ingest import (
    IngestError,
    clean_text,
    drop_reason,
    find_firm_names,
    has_phone_number,
    ingest_path,
    load_rules,
    names_pattern,
    passages_from_text,
    read_document,
)
from noticebot.knowledge.passages import Passage
from noticebot.settings import PROJECT_ROOT

SEEDS_DIR = Path(os.environ.get("NOTICEBOT_SEEDS_DIR") or PROJECT_ROOT.parent / "shared" / "seeds")


@dataclass(frozen=True)
class Seed:
    """What we know about one seed article."""

    name: str
    subject: str | None  # the notice code every passage must carry
    min_passages: int = 4


SEEDS = (
    Seed("000_98ca9ac92181068f.txt", subject="CP523"),
    Seed("001_1254a6d35b110f90.txt", subject="CP523"),
    Seed("002_720628d13c3025e3.txt", subject=None),
    Seed("003_f00472cf967c21b8.txt", subject="CP521"),
    Seed("004_8b60aaafcec9b90e.txt", subject=None),
)
# The firms' phone numbers, digits only.
SEED_PHONES = ("2272300345", "2065363152", "8778503328")
# Firm and author names; none may reach a passage of any seed.
SEED_NAMES = ("Izella", "Tactical Tax Group", "CuraDebt", "Seattle Legal Services", "IRSTaxRelief")
# Sales lines; none may reach a passage.
SALES_LINES = ("free consultation", "call us", "book a case evaluation", "fill out our")
# Facts that must survive: (seed, words a passage contains, a form it is tagged with or None).
SEED_FACTS = (
    ("000_98ca9ac92181068f.txt", ("Collection Appeals Program",), "9423"),
    ("000_98ca9ac92181068f.txt", ("30 days",), None),
    ("000_98ca9ac92181068f.txt", ("433-F",), "433-F"),
    ("001_1254a6d35b110f90.txt", ("Office of Appeals",), "9423"),
    ("001_1254a6d35b110f90.txt", ("$89", "$43"), None),
    ("001_1254a6d35b110f90.txt", ("passport",), None),
    ("002_720628d13c3025e3.txt", ("gift card",), None),
    ("002_720628d13c3025e3.txt", ("installment agreement",), "9465"),
    ("003_f00472cf967c21b8.txt", ("0.5%",), None),
    ("004_8b60aaafcec9b90e.txt", ("30 days", "CDP"), None),
)

# Leftovers found in review: (seed, words no passage may contain).
SEED_LEFTOVERS = (
    ("000_98ca9ac92181068f.txt", "Step 7"),  # a heading over the set-up of a sales pitch
    ("001_1254a6d35b110f90.txt", "All of these programs"),  # points back at a lost list
    ("003_f00472cf967c21b8.txt", "taxpayer reviewing"),  # the image caption above the title
    ("004_8b60aaafcec9b90e.txt", "Fell behind"),  # a sales hook phrased as a question
)


def _seeds_dir() -> Path:
    if SEEDS_DIR.is_dir():
        return SEEDS_DIR
    if os.environ.get("CI") == "true":
        pytest.fail(f"seed articles not found in {SEEDS_DIR} (set NOTICEBOT_SEEDS_DIR)")
    pytest.skip(f"seed articles not found in {SEEDS_DIR}")


@pytest.fixture(scope="module")
def seed_passages(recognizer: Any) -> dict[str, list[Passage]]:
    """Every seed article ingested once with the real recognizer."""
    folder = _seeds_dir()
    passages = ingest_path(folder, recognizer=recognizer)
    by_seed: dict[str, list[Passage]] = {}
    for passage in passages:
        by_seed.setdefault(passage.entry, []).append(passage)
    return by_seed


def _shown(passage: Passage) -> str:
    """Everything of a passage a person may see."""
    return f"{passage.title}\n{passage.text}"


# --------------------------------------------------------------------------- the seeds


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_each_seed_yields_several_passages(
    seed_passages: dict[str, list[Passage]], seed: Seed
) -> None:
    assert len(seed_passages.get(seed.name, [])) >= seed.min_passages


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_no_phone_number_survives(seed_passages: dict[str, list[Passage]], seed: Seed) -> None:
    for passage in seed_passages[seed.name]:
        digits = re.sub(r"\D", "", _shown(passage))
        assert not any(phone in digits for phone in SEED_PHONES), passage.id
        assert not list(phonenumbers.PhoneNumberMatcher(_shown(passage), "US")), passage.id


@pytest.mark.parametrize("name", SEED_NAMES)
def test_no_firm_or_author_name_survives(
    seed_passages: dict[str, list[Passage]], name: str
) -> None:
    leaks = [p.id for ps in seed_passages.values() for p in ps if name.lower() in _shown(p).lower()]
    assert leaks == []


@pytest.mark.parametrize("line", SALES_LINES)
def test_no_sales_line_survives(seed_passages: dict[str, list[Passage]], line: str) -> None:
    leaks = [p.id for ps in seed_passages.values() for p in ps if line in _shown(p).lower()]
    assert leaks == []


@pytest.mark.parametrize("seed", [s for s in SEEDS if s.subject], ids=lambda s: s.name[:3])
def test_every_passage_carries_the_article_subject(
    seed_passages: dict[str, list[Passage]], seed: Seed
) -> None:
    assert all(seed.subject in p.notice_codes for p in seed_passages[seed.name])


@pytest.mark.parametrize(("name", "words", "form"), SEED_FACTS)
def test_facts_survive(
    seed_passages: dict[str, list[Passage]], name: str, words: tuple[str, ...], form: str | None
) -> None:
    hits = [p for p in seed_passages[name] if all(w.lower() in p.text.lower() for w in words)]
    assert hits, f"no passage of {name} mentions {words}"
    if form is not None:
        assert any(form in p.forms for p in hits)


@pytest.mark.parametrize(("name", "words"), SEED_LEFTOVERS, ids=[n[:3] for n, _ in SEED_LEFTOVERS])
def test_seed_leftovers_are_gone(
    seed_passages: dict[str, list[Passage]], name: str, words: str
) -> None:
    assert [p.id for p in seed_passages[name] if words in _shown(p)] == []


def test_the_escalation_sequence_survives_in_order(
    seed_passages: dict[str, list[Passage]],
) -> None:
    sequence = ("CP14", "CP501", "CP503")
    in_order = [
        p
        for p in seed_passages["002_720628d13c3025e3.txt"]
        if all(code in p.text for code in sequence)
        and p.text.index("CP14") < p.text.index("CP501") < p.text.index("CP503")
    ]
    assert in_order
    assert set(sequence) <= set(in_order[0].notice_codes)


def test_seed_passages_are_articles_with_unique_ids_and_bounded_size(
    seed_passages: dict[str, list[Passage]],
) -> None:
    passages = [p for ps in seed_passages.values() for p in ps]
    assert len({p.id for p in passages}) == len(passages)
    for passage in passages:
        assert passage.kind == "article"
        assert passage.source.endswith(passage.entry)
        assert passage.id.startswith(Path(passage.entry).stem + "#")
        assert len(passage.text) <= 700


def test_ingesting_twice_gives_the_same_ids(recognizer: Any) -> None:
    seed = _seeds_dir() / SEEDS[0].name
    first = ingest_path(seed, recognizer=recognizer)
    assert [p.id for p in first] == [p.id for p in ingest_path(seed, recognizer=recognizer)]


# --------------------------------------------------------------------------- synthetic documents


@dataclass(frozen=True)
class FakeMention:
    """The shape of a recognizer mention."""

    label: str
    text: str
    start: int
    end: int
    value: str


class FakeRecognizer:
    """Spots "CP<digits>" notice codes and "Form <digits>" forms, nothing else."""

    def recognize(self, text: str, *, today: Any = None) -> list[FakeMention]:
        """Mentions of codes and forms in ``text``."""
        found = [
            FakeMention("notice_code", m.group(), m.start(), m.end(), m.group().upper())
            for m in re.finditer(r"\bCP\d{1,4}\b", text)
        ]
        found += [
            FakeMention("form", m.group(), m.start(), m.end(), m.group(1))
            for m in re.finditer(r"\bForm (\d{3,5}(?:-[A-Z])?)\b", text)
        ]
        return sorted(found, key=lambda m: m.start)


HTML_ARTICLE = """<!doctype html>
<html><head><title>Understanding CP504 | Zephyrine Tax Relief</title>
<script>var tracker = "ZZTRACKER"; window.dataLayer = [];</script>
<style>.cta { color: red }</style></head>
<body>
<header><a href="/">Zephyrine Tax Relief</a></header>
<nav><ul><li>Home</li><li>Services</li><li>NAVJUNK Reviews</li></ul></nav>
<main><article>
<h1>Understanding CP504</h1>
<p>A CP504 is the notice of intent to levy. The IRS sends it after earlier
   reminders went unanswered.</p>
<h2>What you can do</h2>
<p>You can pay the balance in full, or ask for a payment plan with Form 9465 if you cannot pay.
   Interest keeps growing on the unpaid balance until it is paid.</p>
<p>At Zephyrine Tax Relief, we help families every day. The IRS can levy a state tax refund
   after a CP504 is issued. Book your free consultation today!</p>
<ul><li>Open every letter the IRS sends and note its date.</li>
<li>Keep copies of what you send and of every proof of mailing.</li></ul>
<div class="share-buttons">Share on Facebook</div>
<h2>About the author</h2>
<p>Quincy Marlowe is an enrolled agent with 20 years of experience in tax resolution.</p>
</article></main>
<aside>Related posts: NAVJUNK</aside>
<footer>Call (206) 555-0147 or write to hello@zephyrine.tax</footer>
</body></html>
"""

MARKDOWN_ARTICLE = """# CP14: your first bill

Picture of Rowan Ashdown

## What the notice means

The CP14 is the first bill for a balance due. It shows the tax year, the amount
and the date to pay by. Interest and penalties are added until the balance is paid.

- Check the amount against your return.
- Pay online or by mail with the voucher.

<script>document.write("ZZSCRIPT")</script>

I'm Rowan Ashdown, an Enrolled Agent and founder of Ashdown Tax Group. Our team answers
every call the same day. Call us at 1-800-TAX-HELP or visit ashdowntax.com to get started.

Back to top
"""


@pytest.fixture()
def fake() -> FakeRecognizer:
    """A tiny recognizer for documents written in the test."""
    return FakeRecognizer()


def test_html_keeps_the_article_and_drops_the_page_furniture(
    tmp_path: Path, fake: FakeRecognizer
) -> None:
    page = tmp_path / "cp504.html"
    page.write_text(HTML_ARTICLE, encoding="utf-8")
    passages = ingest_path(page, recognizer=fake)
    shown = "\n".join(_shown(p) for p in passages)
    assert passages and all(p.title == "Understanding CP504" for p in passages)
    for gone in ("ZZTRACKER", "dataLayer", "NAVJUNK", "Share on", "555", "0147", "hello@"):
        assert gone not in shown
    for gone in ("Zephyrine", "Quincy", "Marlowe", "free consultation", "we help"):
        assert gone.lower() not in shown.lower()
    assert "intent to levy" in shown
    assert "state tax refund" in shown  # a fact kept from a salesy paragraph
    assert "• Open every letter" in shown
    assert all("CP504" in p.notice_codes for p in passages)
    assert any("9465" in p.forms for p in passages)


def test_markdown_keeps_the_facts_and_drops_script_bio_and_calls(
    tmp_path: Path, fake: FakeRecognizer
) -> None:
    page = tmp_path / "cp14.md"
    page.write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    passages = ingest_path(page, recognizer=fake)
    shown = "\n".join(_shown(p) for p in passages)
    assert passages and passages[0].title == "CP14: your first bill"
    assert "first bill for a balance due" in shown
    assert "and the date to pay by" in shown  # the wrapped line was joined
    for gone in ("ZZSCRIPT", "Rowan", "Ashdown", "TAX-HELP", "ashdowntax", "Back to top"):
        assert gone not in shown
    assert all(p.notice_codes == ("CP14",) for p in passages)


def test_html_title_falls_back_to_the_title_element(tmp_path: Path) -> None:
    page = tmp_path / "page.htm"
    page.write_text("<title>Levy basics | Some Firm</title><p>Text.</p>", encoding="utf-8")
    assert read_document(page) == ("Text.", "Levy basics")


def test_html_text_has_no_doctype_comments_or_markup(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(HTML_ARTICLE.replace("<main>", "<main><!-- ZZCOMMENT -->"), encoding="utf-8")
    text, _ = read_document(page)
    assert text.startswith("Understanding CP504\n\nA CP504 is the notice of intent to levy.")
    assert "ZZCOMMENT" not in text and "<" not in text


def test_plain_text_title_is_the_longest_line_of_the_opening_block(tmp_path: Path) -> None:
    page = tmp_path / "a.txt"
    page.write_text("Blog\n\nWhat a CP503 notice means\n\nCP503\nThe IRS says so.\n", "utf-8")
    assert read_document(page)[1] == "What a CP503 notice means"


def test_a_factual_sentence_survives_in_a_salesy_paragraph(fake: FakeRecognizer) -> None:
    text = (
        "Penalties\n\n"
        "At Brightwater Tax Group, we help people every day. "
        "The failure-to-pay penalty is 0.5% of the unpaid tax for each month. "
        "Call 206-555-0147 today!"
    )
    [passage] = passages_from_text(text, source="x.txt", title="Penalties", recognizer=fake)
    assert passage.text == "The failure-to-pay penalty is 0.5% of the unpaid tax for each month."


def test_passages_respect_max_chars_and_carry_their_heading(fake: FakeRecognizer) -> None:
    sentences = (f"In month {n} the IRS adds interest to the unpaid balance." for n in range(20))
    text = "Interest on a CP14 balance\n\n" + " ".join(sentences)
    passages = passages_from_text(
        text, source="https://example.test/blog/interest", title="T", recognizer=fake, max_chars=300
    )
    assert len(passages) > 3
    assert all(len(p.text) <= 300 for p in passages)
    assert all(p.text.startswith("Interest on a CP14 balance\n") for p in passages)
    assert [p.id for p in passages] == [f"interest#{n}" for n in range(len(passages))]
    assert all(p.entry == "interest" and p.notice_codes == ("CP14",) for p in passages)


@pytest.mark.parametrize(
    "text",
    [
        # a marketing heading drops its whole section
        "How Brightwater Tax Group Helps\n\n- Review your notices.\n- Handle calls for you.",
        # a marketing lead-in drops the list it introduces
        "Options\n\nOur team can:\n\n- Review your notices.\n- Handle calls for you.",
        # an author bio drops its whole paragraph, pronouns included
        "Options\n\nNell Varga is a CPA with 12 years of experience. She loves helping people.",
    ],
)
def test_marketing_takes_its_list_or_paragraph_with_it(text: str) -> None:
    assert "Review" not in clean_text(text) and "loves" not in clean_text(text)


def test_clean_text_keeps_headings_and_facts() -> None:
    text = "Levy basics\n\nA levy takes property. Call us today.\n\nMore Posts"
    assert clean_text(text) == "Levy basics\nA levy takes property."


def test_too_short_passages_are_dropped(fake: FakeRecognizer) -> None:
    assert (
        passages_from_text("Levy\n\nIt happens.", source="a.txt", title="", recognizer=fake) == []
    )


def test_drop_counts_are_logged_at_debug(
    fake: FakeRecognizer, caplog: pytest.LogCaptureFixture
) -> None:
    text = "Call us at (206) 555-0147. The IRS sends a CP14 first and a CP501 after it, by mail."
    with caplog.at_level(logging.DEBUG, logger="noticebot.knowledge.ingest"):
        passages_from_text(text, source="a.txt", title="", recognizer=fake)
    assert "phone=1" in caplog.text
    assert "kept 1 of 2 sentences" in caplog.text


def test_a_folder_is_ingested_recursively_in_order_with_unique_ids(
    tmp_path: Path, fake: FakeRecognizer
) -> None:
    body = "A CP14 is the first bill the IRS sends for a balance due on your account."
    (tmp_path / "b.txt").write_text(body, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text(body, encoding="utf-8")
    (tmp_path / "sub" / "a.html").write_text(f"<p>{body}</p>", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.txt").write_text(body, encoding="utf-8")
    passages = ingest_path(tmp_path, recognizer=fake)
    assert [p.id for p in passages] == ["b#0", "sub/a#0", "sub/a.md#0"]
    assert [p.entry for p in passages] == ["b.txt", "a.html", "a.md"]


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    "text",
    [
        "Call (206) 555-0147 now.",
        "Reach the office at 206.555.0147 during the week.",
        "Our number is 2065550147.",
        "Dial +1 206 555 0147.",
        "Dial 1-800-TAX-HELP any time.",
        "Tel: +1 (206) 555-0147",
    ],
)
def test_phone_numbers_are_found_in_any_format(text: str) -> None:
    assert has_phone_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "Use Form 433-F or Form 433-A to list income and expenses.",
        "The fee is $89, or $43 for low-income taxpayers.",
        "The penalty grows from 0.25% to 0.5% per month.",
        "Act within 30 days of the notice dated 03/04/2025.",
    ],
)
def test_figures_are_not_mistaken_for_phone_numbers(text: str) -> None:
    assert not has_phone_number(text)


NO_NAMES = names_pattern(())


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Schedule a free consultation with a specialist.", "call_to_action"),
        ("Fill out our online form to get started.", "call_to_action"),
        ("Book a case evaluation.", "call_to_action"),
        ("Talk with a tax relief professional about your notice.", "sales_claim"),
        ("Our team negotiates with the IRS for you.", "first_person_plural"),
        ("We understand how stressful this is.", "first_person_plural"),
        ("In my 20 years of practice, plans rarely fail.", "first_person"),
        ("Visit brightwater.tax for details.", "web_address"),
        ("Write to help@brightwater.example.", "email"),
        ("Table of Contents", "navigation"),
        ("Add Your Heading Text Here", "navigation"),
        ("12 min read", "navigation"),
        ("Don't wait until it's too late!", "hype"),
    ],
)
def test_marketing_sentences_are_dropped(sentence: str, reason: str) -> None:
    assert drop_reason(sentence, names=NO_NAMES, rules=load_rules()) == reason


@pytest.mark.parametrize(
    "sentence",
    [
        "The IRS will not demand payment by gift card.",
        "Request an installment agreement on IRS.gov or with Form 9465.",
        "The U.S. Department of State may deny a passport for seriously delinquent tax debt.",
        "Contact the IRS at the number printed on your notice.",
        "The IRS writes “we will levy your wages” when it intends to levy.",
        "Send documents by certified mail and keep copies.",
        "US citizens abroad get two extra months to file.",
        "Attach Form I-9 only when the notice asks for it.",
    ],
)
def test_factual_sentences_are_kept(sentence: str) -> None:
    assert drop_reason(sentence, names=NO_NAMES, rules=load_rules()) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("At Brightwater Tax Group, we help. Brightwater can act fast.", {"Brightwater"}),
        ("Contact Lumenfield today for help with levies.", {"Lumenfield"}),
        ("How Orrisworth Helps You\n\nOrrisworth helps people.", {"Orrisworth"}),
        ("Picture of Tamsin Oakhurst\n\nLevies are serious.", {"Tamsin Oakhurst", "Tamsin"}),
        ("I'm Ivo Strand, an enrolled agent.", {"Ivo Strand", "Ivo"}),
        ("Visit KestrelRelief.tax to learn about levies.", {"KestrelRelief"}),
        ("Doe & Roe PLLC files appeals.", {"Doe & Roe PLLC"}),
    ],
)
def test_firm_and_author_names_are_learned_from_the_document(text: str, expected: set[str]) -> None:
    assert expected <= set(find_firm_names(text))


@pytest.mark.parametrize(
    "text",
    [
        "IRS Tax Relief options include installment agreements.",
        "Contact the IRS or call IRS customer service.",
        "How to Get Tax Relief\n\nYou can get relief when you qualify for it.",
        "Payment Plans can help. Most payment plans need a monthly amount.",
        "Contact LITCs near you for free help with a levy.",
    ],
)
def test_agencies_and_common_words_are_not_firm_names(text: str) -> None:
    assert find_firm_names(text) == ()


def test_a_web_address_gives_its_registered_name_not_a_subdomain() -> None:
    assert find_firm_names("See support.brightwater.tax when you pay online.") == ("brightwater",)


# --------------------------------------------------------------------------- errors


def test_unsupported_suffix_is_an_ingest_error(tmp_path: Path) -> None:
    page = tmp_path / "article.pdf"
    page.write_bytes(b"%PDF-1.4")
    with pytest.raises(IngestError, match=r"unsupported document type '\.pdf'.*\.html"):
        read_document(page)


def test_missing_file_is_an_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"cannot read .*missing\.md"):
        read_document(tmp_path / "missing.md")


def test_binary_file_is_an_ingest_error(tmp_path: Path) -> None:
    page = tmp_path / "garbage.txt"
    page.write_bytes(b"\x81\x8d\x8f\x90\x9d")
    with pytest.raises(IngestError, match="not a text file"):
        read_document(page)


def test_missing_folder_is_an_ingest_error(tmp_path: Path, fake: FakeRecognizer) -> None:
    with pytest.raises(IngestError, match="no such file or folder"):
        ingest_path(tmp_path / "nowhere", recognizer=fake)


def test_ingest_error_is_a_value_error() -> None:
    assert issubclass(IngestError, ValueError)


# --------------------------------------------------------------------------- unseen articles

FIXTURES = Path(__file__).with_name("fixtures")


@dataclass(frozen=True)
class Article:
    """A synthetic firm article in ``fixtures/``: the facts it states and the marketing it holds."""

    name: str
    title: str
    facts: tuple[str, ...]  # every sentence that must reach a passage, word for word
    headings: tuple[str, ...]  # section headings a passage may open with
    marketing: tuple[str, ...]  # none may reach a passage or its title (case-insensitive)
    forms: tuple[str, ...]


ARTICLES = (
    Article(
        name="brightline_lt11.md",
        title="What an LT11 Means and How to Answer It",
        facts=(
            "An LT11, also sent as Letter 1058, is the Final Notice of Intent to Levy and Notice "
            "of Your Right to a Hearing.",
            "You have 30 days from the date of the notice to request a Collection Due Process "
            "hearing on Form 12153.",
            "While a timely hearing request is pending, the IRS generally cannot levy for the tax "
            "periods it covers.",
            "If you miss the 30-day window, you can still ask for an equivalent hearing within one "
            "year of the notice date, but you give up the right to take the case to Tax Court.",
            "A levy can take money from your bank account, part of your wages, and some federal "
            "payments.",
            "A bank must hold levied funds for 21 days before it sends them to the IRS.",
            "You can request an installment agreement online or on Form 9465 if you cannot pay in "
            "full.",
        ),
        headings=("Your deadline", "What a levy can take", "Ways out of a levy"),
        marketing=(
            "Brightline",  # firm, possessive included
            "Okafor",  # author's surname, alone
            "Dana",  # author's first name, possessive
            "415",  # (415) 555-0142, 415.555.0142, +1 415 555 0142, 4155550142
            "0142",
            "TAX-LEVY",
            "55123",  # SMS short code
            "text",  # "Text LEVY to ...", "Send a text ...", "answers texts"
            "Msg & data",
            "Tired of",
            "Ready to",
            "Still worried",
            "Want to",
            "Need help",
            "retired teacher",  # the image caption above the title
            "several ways",  # the lead-in whose list was lost
            "All of these",  # ... and the sentence pointing back at that list
            "enrolled agent",  # the bio
            "founded",
        ),
        forms=("12153", "9465"),
    ),
    Article(
        name="harbor_finch_wage_levy.html",
        title="Wage Levy Basics: CP504 and the Final Notice",
        facts=(
            "The CP504 is the Notice of Intent to Levy, and it lets the IRS levy a state tax "
            "refund right away.",
            "You have 30 days from the date of the notice to request a Collection Due Process "
            "hearing on Form 12153.",
            "Penalties grow by 0.5% of the unpaid tax each month, up to 25%.",
            "A wage levy is continuous: your employer keeps sending part of each paycheck until "
            "the debt is paid or the levy is released.",
            "The part you keep depends on your filing status and the number of dependents you list "
            "on Form 668-W.",
            "The IRS must release a levy that causes an economic hardship, for example when you "
            "cannot pay basic living expenses.",
        ),
        headings=("The 30-day window", "How a wage levy works"),
        marketing=(
            "Harbor",  # firm name from <title> and og:site_name, possessive included
            "Finch",  # ... and from the domain harborfinch.law, alone
            "Marisol",  # the bio's author, alone
            "Vance",  # ... and her surname, possessive
            "312",  # (312) 555-0187, 312-555-0187, 312.555.0187, +1 312 555 0187
            "0187",
            "TAX-LEVY",
            "55123",
            "Text LEVY",
            "Still worried",
            "Need help",
            "Ready to",
            "Prefer to talk",
            "Want to",
            "homeowner",  # the figure caption above the title
            "Photo:",  # a labelled caption below it
            "strategies",  # the lead-in, its lost list, and the sentence pointing back at it
            "tax attorney",  # the bio
            "22 years",
        ),
        forms=("12153",),
    ),
)


@pytest.fixture(scope="module")
def article_passages(recognizer: Any) -> dict[str, list[Passage]]:
    """Every synthetic article ingested once with the real recognizer."""
    return {a.name: ingest_path(FIXTURES / a.name, recognizer=recognizer) for a in ARTICLES}


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.name)
def test_every_fact_of_an_unseen_article_survives(
    article_passages: dict[str, list[Passage]], article: Article
) -> None:
    texts = [p.text for p in article_passages[article.name]]
    assert [fact for fact in article.facts if not any(fact in text for text in texts)] == []


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.name)
def test_an_unseen_article_yields_only_its_facts_and_headings(
    article_passages: dict[str, list[Passage]], article: Article
) -> None:
    for passage in article_passages[article.name]:
        assert passage.title == article.title
        heading, _, body = passage.text.partition("\n")
        rest = body if heading in article.headings else passage.text
        for fact in article.facts:
            rest = rest.replace(fact, "")
        assert rest.strip() == "", passage.id


@pytest.mark.parametrize(
    ("article", "marketing"),
    [(a, m) for a in ARTICLES for m in a.marketing],
    ids=lambda v: v.name if isinstance(v, Article) else v,
)
def test_no_marketing_of_an_unseen_article_survives(
    article_passages: dict[str, list[Passage]], article: Article, marketing: str
) -> None:
    shown = "\n".join(_shown(p) for p in article_passages[article.name]).lower()
    assert marketing.lower() not in shown


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.name)
def test_an_unseen_article_is_tagged_with_its_forms(
    article_passages: dict[str, list[Passage]], article: Article
) -> None:
    tagged = {form for p in article_passages[article.name] for form in p.forms}
    assert set(article.forms) <= tagged


# --------------------------------------------------------------------------- leaks found in review


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Text LEVY to 55123.", "call_to_action"),
        ("Text the word RELIEF to 41411 for a callback.", "call_to_action"),
        ("Send a text with your notice number.", "call_to_action"),
        ("Prefer texting? Call or text any time.", "call_to_action"),
        ("Msg & data rates may apply.", "call_to_action"),
        ("Ready to stop the levy?", "sales_hook"),
        ("Want to keep your paycheck?", "sales_hook"),
        ("Need help with a CP504?", "sales_hook"),
        ("Tired of the letters piling up?", "sales_hook"),
        ("Still worried about your refund?", "sales_hook"),
        ("Fell behind on taxes and now the letters are stacking up?", "sales_hook"),
    ],
)
def test_sms_calls_and_sales_hooks_are_dropped(sentence: str, reason: str) -> None:
    assert drop_reason(sentence, names=NO_NAMES, rules=load_rules()) == reason


@pytest.mark.parametrize(
    "sentence",
    [
        "The text of the notice names the tax year and the amount due.",
        "Reply to the notice within 30 days to keep your appeal rights.",
        "What happens if you ignore a CP504?",
        "Can the IRS levy a Social Security payment?",
        "Have the notice ready when you call the IRS.",
    ],
)
def test_questions_and_texts_that_are_facts_are_kept(sentence: str) -> None:
    assert drop_reason(sentence, names=NO_NAMES, rules=load_rules()) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Brightline's attorneys fight for you.", {"Brightline"}),
        ("Nell Varga is an enrolled agent with 9 years of experience.", {"Nell", "Varga"}),
        ("Levies stop. Visit harborfinch.law and ask Harbor or Finch.", {"Harbor", "Finch"}),
        ("Thornbury Tax Advocates files CDP requests.", {"Thornbury"}),
    ],
)
def test_more_firm_and_author_names_are_learned(text: str, expected: set[str]) -> None:
    assert expected <= set(find_firm_names(text))


@pytest.mark.parametrize(
    ("names", "sentence"),
    [
        (("Brightline",), "Brightline's attorneys fight for you."),
        (("Brightline",), "Brightline’s team answers on weekends."),
        (("brightline",), "Brightline answers on weekends."),  # a domain label, any case
    ],
)
def test_a_learned_name_drops_its_sentence_possessive_or_not(
    names: tuple[str, ...], sentence: str
) -> None:
    reason = drop_reason(sentence, names=names_pattern(names), rules=load_rules())
    assert reason == "firm_name"


def test_a_name_in_the_title_drops_the_sentences_using_it(fake: FakeRecognizer) -> None:
    text = (
        "A levy lets the IRS take money from a bank account or a paycheck to pay a tax debt "
        "that is past due. Kestrelmoor answers the phone on weekends."
    )
    [passage] = passages_from_text(
        text, source="a.txt", title="Kestrelmoor Tax Advocates: levy basics", recognizer=fake
    )
    assert "Kestrelmoor" not in passage.text and "paycheck" in passage.text


def test_the_site_name_of_an_html_page_drops_the_sentences_using_it(
    tmp_path: Path, fake: FakeRecognizer
) -> None:
    page = tmp_path / "levy.html"
    page.write_text(
        "<title>Levy basics | Quillon</title><h1>Levy basics</h1>"
        "<p>A levy lets the IRS take money from a bank account or a paycheck to pay a tax debt "
        "that is past due. Quillon's lawyers answer the phone on weekends.</p>",
        encoding="utf-8",
    )
    [passage] = ingest_path(page, recognizer=fake)
    assert "Quillon" not in _shown(passage) and "paycheck" in passage.text


@pytest.mark.parametrize(
    "caption",
    [
        "A taxpayer reviewing a CP14 notice, which asks for payment.",
        "An anxious couple opening a letter from the IRS",
        "Image: a stack of envelopes.",
        "Photo: a notice on a desk.",
    ],
)
def test_an_image_caption_above_the_title_is_dropped(caption: str) -> None:
    text = f"{caption}\n\nCP14 basics\n\nA CP14 is the first bill for a balance due."
    assert clean_text(text) == "CP14 basics\nA CP14 is the first bill for a balance due."


def test_a_sentence_shaped_like_a_caption_is_kept_below_the_title_or_with_a_verb() -> None:
    first = "A taxpayer receiving a CP14 must pay within 21 days."
    assert first in clean_text(f"{first}\n\nMore text follows here.")
    later = "A taxpayer reviewing a CP14 notice, which asks for payment."
    assert later in clean_text(f"CP14 basics\n\nA CP14 is a bill.\n\n{later}")


def test_a_sentence_pointing_back_at_a_lost_list_is_dropped() -> None:
    text = (
        "Options\n\n"
        "You may want to ask about these programs:\n\n"
        "All of these programs have strict rules. If you qualify, these programs help.\n\n"
        "An installment agreement spreads the balance over monthly payments."
    )
    assert clean_text(text) == (
        "Options\nAn installment agreement spreads the balance over monthly payments."
    )


def test_a_sentence_pointing_back_at_a_kept_list_is_kept() -> None:
    text = (
        "Options\n\nYou can ask for:\n\n- an installment agreement\n- a short-term extension\n\n"
        "Both of these need your returns to be filed."
    )
    assert "Both of these need your returns to be filed." in clean_text(text)


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("Levies are serious and need attention.", False),  # short, nothing concrete
        ("A CP14 asks you to pay the balance due.", True),  # a notice code
        ("Ask for a hearing on Form 12153 quickly.", True),  # a form
        ("The penalty is 0.5% a month on the balance.", True),  # a figure
    ],
)
def test_a_passage_too_short_to_teach_anything_is_dropped(
    fake: FakeRecognizer, body: str, kept: bool
) -> None:
    text = f"Good to know\n\n{body} Read every letter."
    passages = passages_from_text(text, source="a.txt", title="T", recognizer=fake, min_chars=20)
    assert bool(passages) is kept


def test_the_shortest_passage_is_set_in_marketing_yml(fake: FakeRecognizer) -> None:
    text = "Good to know\n\nLevies are serious and worth your full attention. Read every letter."
    rules = replace(load_rules(), min_passage_words=5)
    passages = passages_from_text(
        text, source="a.txt", title="T", recognizer=fake, min_chars=20, rules=rules
    )
    assert len(passages) == 1


def test_what_leads_into_a_sales_pitch_is_dropped_with_it(fake: FakeRecognizer) -> None:
    text = (
        "CP14 basics\n\nA CP14 is the first bill the IRS sends for a balance due on an account, "
        "with the tax year and the amount owed printed on it.\n\n"
        "When to get help\n\n"
        "Notices like CP14 are stressful, especially if your finances have changed lately. "
        "Working with a tax relief professional makes the difference. "
        "An experienced representative can relieve your stress."
    )
    passages = passages_from_text(text, source="a.txt", title="About CP14", recognizer=fake)
    assert [p.text.split("\n")[0] for p in passages] == ["CP14 basics"]


def test_a_fact_between_sales_lines_is_kept(fake: FakeRecognizer) -> None:
    text = (
        "CP14 basics\n\n"
        "Tired of the letters? A CP14 is the first bill for a balance due. "
        "Working with a tax relief professional makes the difference. "
        "An experienced representative can relieve your stress."
    )
    passages = passages_from_text(
        text, source="a.txt", title="About CP14", recognizer=fake, min_chars=20
    )
    assert [p.text for p in passages] == [
        "CP14 basics\nA CP14 is the first bill for a balance due."
    ]
