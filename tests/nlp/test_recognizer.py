"""The rule recognizer finds notice codes, forms, amounts, dates and contact details."""

import datetime as dt

import pytest

from noticebot.nlp import (
    CONTACT_LABELS,
    LABELS,
    NOTICE_LABELS,
    Mention,
    Recognizer,
    canonical_email,
    canonical_form,
    canonical_name,
    canonical_notice_code,
    canonical_phone,
    parse_amount,
    parse_date,
)

TODAY = dt.date(2026, 11, 23)


def values(recognizer: Recognizer, text: str, label: str) -> list[str | float]:
    """The values of the mentions of ``label`` in ``text``, in order."""
    return [m.value for m in recognizer.recognize(text, today=TODAY) if m.label == label]


# --- notice codes -----------------------------------------------------------------------------

NOTICE_CODES = [
    ("i got a CP504 in the mail", "CP504"),
    ("got a cp504 today what do i do", "CP504"),
    ("irs sent me cp 504 and im freaking out", "CP504"),
    ("what does CP-504 mean", "CP504"),
    ("letter says Cp.504 at the top", "CP504"),
    ("it says Cp. 504 on the corner", "CP504"),
    ("got notice 504 yesterday", "CP504"),
    ("i have notice cp504 what now", "CP504"),
    ("IRS notice CP-14 came for my mom", "CP14"),
    ("the CP523 notice says my plan is in default", "CP523"),
    ("cp90 final notice help!!", "CP90"),
    ("cp 2000 says i underreported", "CP2000"),
    ("its a CP504B for my business", "CP504B"),
    ("got cp297a from irs", "CP297A"),
    ("the CP508C about my passport", "CP508C"),
    ("i got a CP22A after my amended return", "CP22A"),
    ("LT11 came certified mail", "LT11"),
    ("got an LT-11 last week", "LT11"),
    ("irs lt 11 letter", "LT11"),
    ("lt11 what is it", "LT11"),
    ("they sent LT16 asking to call", "LT16"),
    ("i got Letter 1058", "LTR1058"),
    ("my letter 1058 came yesterday", "LTR1058"),
    ("the LTR 1058 is scary", "LTR1058"),
    ("ltr1058 from the revenue officer", "LTR1058"),
    ("L1058 final notice", "LTR1058"),
    ("got a 1058 letter", "LTR1058"),
    ("IRS letter 1058 showed up", "LTR1058"),
    ("i got letter 3172 about a lien", "LTR3172"),
    ("LTR 6152 arrived for my husband", "LTR6152"),
    ("i got the intent to levy letter", "CP504"),
    ("it says notice of intent to levy", "CP504"),
    ("they sent a final notice of intent to levy", "LT11"),
    ("final notice intent to levy and your right to a hearing", "LT11"),
    ("got a notice of federal tax lien filing", "LTR3172"),
    ("the cp501 came first", "CP501"),
    ("second notice cp503", "CP503"),
    ("cp521 reminder about my installment", "CP521"),
    ("cp71 every year", "CP71"),
    ("cp 161 balance due", "CP161"),
    ("CP91 about my social security", "CP91"),
    ("cp298 came today", "CP298"),
    ("my cp40 from a private collection agency", "CP40"),
    ("irs cp999 never heard of it", "CP999"),
    ("the cp14 notice", "CP14"),
    ("cp14,what does it mean", "CP14"),
    ("got cp504.is that bad", "CP504"),
    ("i got two cp504s", "CP504"),
    ("CP#504 on the top right", "CP504"),
    ("cp - 504 i think", "CP504"),
    ("notice # 504", "CP504"),
    ("notice no. 504 says final", "CP504"),
    ("notice number 504", "CP504"),
    ("the 504 notice", "CP504"),
    ("notice 1058 from irs", "LTR1058"),
    ("notice 11 came", "LT11"),
    ("letter 504 from the irs", "CP504"),
    ("ltr 3172 lien", "LTR3172"),
    ("LT1058 final notice", "LTR1058"),
    ("i never got the CP297 before the levy", "CP297"),
    ("ok so i got this cp503 thing and then i ignored it and now its cp504 wtf", "CP503"),
    ("intent to levy notice in my mailbox", "CP504"),
    ("NOTICE CP504 ATTACHED", "CP504"),
]


PRINTED_TITLES = [
    ("Notice of Intent to Levy and Your Collection Due Process Right to a Hearing", "LT11"),
    ("notice of intent to levy and your collection due process rights to a hearing", "LT11"),
    ("Final Notice - Notice of Intent to Levy and Notice of Your Rights to a Hearing", "LTR1058"),
    ("Final Notice — Notice of Intent to Levy and Notice of Your Rights to a Hearing", "LTR1058"),
    ("Final Notice – Notice of Intent to Levy and Notice of Your Rights to a Hearing", "LTR1058"),
    ("Final Notice - Notice of Intent to Levy and Notice of Your Right to a Hearing", "LTR1058"),
    ("Final Notice—Notice of Intent to Levy and Notice of Your Right to a Hearing", "LTR1058"),
    ("final notice: notice of intent to levy and notice of your right to a hearing", "LTR1058"),
    ("notice of intent to levy and notice of your right to a hearing", "LTR1058"),
    ("the title says notice of intent to levy and notice of your rights to a hearing", "LTR1058"),
    ("final notice of intent to levy", "LT11"),
    ("notice of intent to levy", "CP504"),
    ("intent to levy letter", "CP504"),
]


@pytest.mark.parametrize(("text", "expected"), PRINTED_TITLES)
def test_printed_title_is_one_code(recognizer: Recognizer, text: str, expected: str) -> None:
    assert values(recognizer, text, "notice_code") == [expected]


def test_printed_title_is_the_whole_mention(recognizer: Recognizer) -> None:
    text = "it says Final Notice - Notice of Intent to Levy and Notice of Your Rights to a Hearing"
    (mention,) = recognizer.recognize(text, today=TODAY)
    assert (mention.start, mention.end) == (8, len(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("notice 1444", []),
        ("my notice 1444 from 2021", []),
        ("the 1444 notice", []),
        ("notice 2501 came", ["CP2501"]),
        ("notice 504", ["CP504"]),
        ("letter 504", ["CP504"]),
        ("letter 2272", ["LTR2272"]),
        ("notice cp1444", ["CP1444"]),
    ],
)
def test_notice_number_is_cp_only_when_known(
    recognizer: Recognizer, text: str, expected: list[str]
) -> None:
    assert values(recognizer, text, "notice_code") == expected


@pytest.mark.parametrize(("text", "expected"), NOTICE_CODES)
def test_first_notice_code_is_canonical(recognizer: Recognizer, text: str, expected: str) -> None:
    assert values(recognizer, text, "notice_code")[0] == expected


def test_every_code_in_a_run_on_message(recognizer: Recognizer) -> None:
    text = "first cp501 then cp 503,then CP-504 and now lt11 plus letter 1058"
    assert values(recognizer, text, "notice_code") == ["CP501", "CP503", "CP504", "LT11", "LTR1058"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cp 504", "CP504"),
        ("CP-504", "CP504"),
        ("notice 504", "CP504"),
        ("IRS notice CP-14", "CP14"),
        ("letter 1058", "LTR1058"),
        ("1058 letter", "LTR1058"),
        ("lt-11", "LT11"),
        ("the intent to levy letter", "CP504"),
        ("final notice of intent to levy", "LT11"),
        ("cp999", "CP999"),
        ("CP71S", "CP71S"),
        ("cp504s", "CP504"),
        ("garbage", None),
        ("504", None),
        ("cpa", None),
        ("the 2024 notice", None),
        ("notice 1444", None),
        ("1444 notice", None),
        ("letter 1444", "LTR1444"),
    ],
)
def test_canonical_notice_code(text: str, expected: str | None) -> None:
    assert canonical_notice_code(text) == expected


# --- forms ------------------------------------------------------------------------------------

FORMS = [
    ("do i need Form 9465", "9465"),
    ("can i just send form 9465", "9465"),
    ("downloaded f9465 from the site", "9465"),
    ("they want a 433-F", "433-F"),
    ("433F filled out", "433-F"),
    ("the 433 f asks about my car", "433-F"),
    ("do i need form 433-a too", "433-A"),
    ("form 433-a.", "433-A"),
    ("forms 433b for my company", "433-B"),
    ("i sent a 12153 last week", "12153"),
    ("how do i file Form 12153", "12153"),
    ("is 9423 the appeal one", "9423"),
    ("the Form 656-L", "656-L"),
    ("656l doubt as to liability", "656-L"),
    ("my cpa needs form 2848", "2848"),
    ("sign an 8821 for my preparer", "8821"),
    ("form 843 for penalty abatement", "843"),
    ("is form 911 for taxpayer advocate", "911"),
    ("form 656 offer in compromise", "656"),
    ("form 1040 from 2022", "1040"),
    ("form 2159 payroll deduction", "2159"),
    ("the form 668(Y)(c) lien", "668(Y)(c)"),
    ("innocent spouse 8857", "8857"),
    ("13844 fee reduction", "13844"),
    ("form 1040x amended", "1040-X"),
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_form_is_canonical(recognizer: Recognizer, text: str, expected: str) -> None:
    assert values(recognizer, text, "form") == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("form 9465 or 656", ["9465", "656"]),
        ("forms 12153 and 9423", ["12153", "9423"]),
        ("forms 9465, 433-F, and 12153", ["9465", "433-F", "12153"]),
        ("form 9465 & 433-a", ["9465", "433-A"]),
        ("form 843 or 911?", ["843", "911"]),
        ("form 9465 and 30 days", ["9465"]),
        ("form 9465 or 2023 taxes", ["9465"]),
        ("form 9465 or 800-829-1040", ["9465"]),
        ("form 9465 and $500 a month", ["9465"]),
        ("form 9465 and cp504", ["9465"]),
    ],
)
def test_forms_in_a_list(recognizer: Recognizer, text: str, expected: list[str]) -> None:
    assert values(recognizer, text, "form") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Form 433f", "433-F"),
        ("12153", "12153"),
        ("form 9465", "9465"),
        ("656-l", "656-L"),
        ("form 1234", "1234"),
        ("1234", None),
        ("hello", None),
    ],
)
def test_canonical_form(text: str, expected: str | None) -> None:
    assert canonical_form(text) == expected


# --- amounts ----------------------------------------------------------------------------------

AMOUNTS = [
    ("the notice says $12,400", 12400.0),
    ("i owe $12400", 12400.0),
    ("its 12,400 dollars", 12400.0),
    ("about 12400 usd", 12400.0),
    ("balance due $12,400.50", 12400.5),
    ("they want 12.4k", 12400.0),
    ("$12.4K by friday", 12400.0),
    ("like 12k total", 12000.0),
    ("$1.2 million for the business", 1200000.0),
    ("1.5 mil in payroll taxes", 1500000.0),
    ("i can pay $500 a month", 500.0),
    ("five hundred dollars a month", 500.0),
    ("twenty-five dollars", 25.0),
    ("i owe 12400", 12400.0),
    ("i owe them about 12,400", 12400.0),
    ("im owing 3000", 3000.0),
    ("a balance of 8200", 8200.0),
    ("bill for 950.25", 950.25),
    ("the bill is 1200", 1200.0),
    ("i owe 5 grand", 5000.0),
    ("i can pay 200 a month", 200.0),
    ("$5k,ok?", 5000.0),
    ("paid $5,000.thanks", 5000.0),
    ("i owe like 8 hundred dollars", 800.0),
    ("about 3 grand", 3000.0),
    ("2 thousand", 2000.0),
    ("i can pay 2 hundred a month", 200.0),
    ("$8 hundred", 800.0),
    ("a balance of 2 hundred thousand", 200000.0),
    ("eight hundred dollars", 800.0),
]


@pytest.mark.parametrize(("text", "expected"), AMOUNTS)
def test_amount_value(recognizer: Recognizer, text: str, expected: float) -> None:
    assert values(recognizer, text, "amount") == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$12,400", 12400.0),
        ("12.4k", 12400.0),
        ("$1.2 million", 1200000.0),
        ("one thousand two hundred dollars", 1200.0),
        ("12400", 12400.0),
        ("8 hundred dollars", 800.0),
        ("2 hundred thousand", 200000.0),
        ("12 furlongs", None),
        ("12 hundred furlongs", None),
        ("nothing", None),
    ],
)
def test_parse_amount(text: str, expected: float | None) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("owe 3k-4k", [3000.0, 4000.0]),
        ("i owe $3k-$4k", [3000.0, 4000.0]),
        ("somewhere 3k – 4k", [3000.0, 4000.0]),
        ("i owe 3-4k", []),
        ("like 3 to 4 thousand", []),
    ],
)
def test_amount_range_is_both_ends_or_nothing(
    recognizer: Recognizer, text: str, expected: list[float]
) -> None:
    assert values(recognizer, text, "amount") == expected


def test_amount_mention_excludes_its_trigger_words(recognizer: Recognizer) -> None:
    text = "i owe them about 12,400"
    (mention,) = recognizer.recognize(text, today=TODAY)
    assert (mention.text, mention.start, mention.end) == ("12,400", 17, 23)


# --- dates (today is Monday 2026-11-23) -------------------------------------------------------

DATES = [
    ("the notice is dated March 3", "2026-03-03"),
    ("dated march 3rd", "2026-03-03"),
    ("notice date Mar 3, 2026", "2026-03-03"),
    ("pay by 3/3/2026", "2026-03-03"),
    ("dated 03/03/26", "2026-03-03"),
    ("it is dated 2026-03-03", "2026-03-03"),
    ("got it Nov 2", "2026-11-02"),
    ("dated November 2nd", "2026-11-02"),
    ("dated 2 November 2026", "2026-11-02"),
    ("on the 5th of march", "2026-03-05"),
    ("it came last Tuesday", "2026-11-17"),
    ("got it yesterday", "2026-11-22"),
    ("opened it today", "2026-11-23"),
    ("came 3 days ago", "2026-11-20"),
    ("about two weeks ago", "2026-11-09"),
    ("a week ago", "2026-11-16"),
    ("respond by next friday", "2026-11-27"),
    ("due Jan 5", "2027-01-05"),
    ("respond by Dec 1", "2026-12-01"),
    ("due 12/15", "2026-12-15"),
    ("mailed Sept. 5", "2026-09-05"),
    ("Oct 3rd 2025 was the date", "2025-10-03"),
    ("the day before yesterday", "2026-11-21"),
    ("due date 12-15-2026", "2026-12-15"),
    ("11.2.2026", "2026-11-02"),
    ("dated 11.02.26", "2026-11-02"),
    ("the 2nd", "2026-12-02"),
    ("on the 5th", "2026-12-05"),
    ("until the 15th", "2026-12-15"),
    ("the 30th", "2026-11-30"),
    ("i have until the 30th to pay", "2026-11-30"),
    ("the 23rd", "2026-11-23"),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_date_is_iso(recognizer: Recognizer, text: str, expected: str) -> None:
    assert values(recognizer, text, "date") == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 3", dt.date(2026, 3, 3)),
        ("Jan 5", dt.date(2027, 1, 5)),
        ("Dec 1", dt.date(2026, 12, 1)),
        ("Mar 3, 2024", dt.date(2024, 3, 3)),
        ("last tuesday", dt.date(2026, 11, 17)),
        ("this friday", dt.date(2026, 11, 27)),
        ("7", None),
        ("Feb 30", None),
        ("the 2nd", dt.date(2026, 12, 2)),
        ("15th", dt.date(2026, 12, 15)),
        ("the 31st", dt.date(2026, 12, 31)),
        ("11.2.2026", dt.date(2026, 11, 2)),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dec 1", dt.date(2025, 12, 1)),
        ("Nov 30", dt.date(2025, 11, 30)),
        ("March 3", dt.date(2026, 3, 3)),
        ("the 2nd", dt.date(2026, 11, 2)),
        ("the 30th", dt.date(2026, 10, 30)),
        ("the 31st", dt.date(2026, 10, 31)),
        ("the 23rd", dt.date(2026, 11, 23)),
        ("12/1", dt.date(2025, 12, 1)),
        ("Dec 1, 2026", dt.date(2026, 12, 1)),
    ],
)
def test_parse_past_date(text: str, expected: dt.date) -> None:
    assert parse_date(text, today=TODAY, past=True) == expected


# --- date roles (deadline, notice date, received date) -----------------------------------------

DATE_ROLES = [
    ("I got an LT11, it says respond by December 2", [("2026-12-02", "deadline")]),
    (
        "I got my LT11 yesterday, it's dated November 2",
        [("2026-11-22", "received"), ("2026-11-02", "notice")],
    ),
    ("CP504 dated 11/2 says pay by 11/22", [("2026-11-02", "notice"), ("2026-11-22", "deadline")]),
    ("it came last tuesday", [("2026-11-17", "received")]),
    ("november 2", [("2026-11-02", None)]),
    ("a notice from march 3", [("2026-03-03", "notice")]),
    ("the letter from Nov 2", [("2026-11-02", "notice")]),
    ("due Jan 5", [("2027-01-05", "deadline")]),
    ("due by 12/15", [("2026-12-15", "deadline")]),
    ("reply by the 15th", [("2026-12-15", "deadline")]),
    ("payment due Dec 10", [("2026-12-10", "deadline")]),
    ("i have until December 8", [("2026-12-08", "deadline")]),
    ("no later than Dec 1", [("2026-12-01", "deadline")]),
    ("before december 12 or they levy", [("2026-12-12", "deadline")]),
    ("the deadline is dec 2", [("2026-12-02", "deadline")]),
    ("the response date Dec 3", [("2026-12-03", "deadline")]),
    ("it says respond Dec 3", [("2026-12-03", "deadline")]),
    ("contact them by 12/7", [("2026-12-07", "deadline")]),
    ("the date on it is Nov 2", [("2026-11-02", "notice")]),
    ("notice date 11/2", [("2026-11-02", "notice")]),
    ("letter date 11/2/2026", [("2026-11-02", "notice")]),
    ("the date at the top says Nov 2", [("2026-11-02", "notice")]),
    ("the printed date is Nov 2", [("2026-11-02", "notice")]),
    ("it is dated Nov 2", [("2026-11-02", "notice")]),
    ("got it Nov 2", [("2026-11-02", "received")]),
    ("received it on the 20th", [("2026-11-20", "received")]),
    ("arrived yesterday", [("2026-11-22", "received")]),
    ("it was in the mail on Friday last week", [("2026-11-20", "received")]),
    ("due friday", [("2026-11-27", "deadline")]),
    ("it came monday", [("2026-11-16", "received")]),
    ("it was in the mail 3 days ago", [("2026-11-20", "received")]),
    ("it showed up on the 30th", [("2026-10-30", "received")]),
    ("opened it today", [("2026-11-23", "received")]),
    ("I got it by mail on Nov 2", [("2026-11-02", "received")]),
    ("I got it, pay by Dec 2", [("2026-12-02", "deadline")]),
    ("my cp504 says Dec 2", [("2026-12-02", None)]),
    (
        "received it on the 2nd, need to respond by the 15th",
        [("2026-11-02", "received"), ("2026-12-15", "deadline")],
    ),
    # A notice or received date is never ahead: "dated Dec 1" on Nov 23 is last year's.
    ("dated Dec 1", [("2025-12-01", "notice")]),
    ("it's dated the 30th", [("2026-10-30", "notice")]),
]


@pytest.mark.parametrize(("text", "expected"), DATE_ROLES)
def test_date_role(
    recognizer: Recognizer, text: str, expected: list[tuple[str, str | None]]
) -> None:
    mentions = recognizer.recognize(text, today=TODAY)
    assert [(m.value, m.role) for m in mentions if m.label == "date"] == expected


def test_only_dates_have_a_role(recognizer: Recognizer) -> None:
    text = "got cp504 dated Nov 2, i owe $500 by Dec 2, can i send form 9465"
    roles = {m.label: m.role for m in recognizer.recognize(text, today=TODAY) if m.label != "date"}
    assert roles == {"notice_code": None, "amount": None, "form": None}


def test_mention_role_defaults_to_none() -> None:
    mention = Mention("date", "Nov 2", 0, 5, "2026-11-02")
    assert mention.role is None


# --- what must not be recognized --------------------------------------------------------------

NEGATIVES = [
    ("my cpa said to wait", "notice_code"),
    ("i owe 504 dollars", "notice_code"),
    ("they took $504", "notice_code"),
    ("see page 504 of publication 594", "notice_code"),
    ("for tax year 2024", "notice_code"),
    ("the 2024 notice", "notice_code"),
    ("call 800-829-1040 now", "notice_code"),
    ("do i file form 9465", "notice_code"),
    ("i got the notice 30 days ago", "notice_code"),
    ("call 911", "form"),
    ("i owe 843 in penalties", "form"),
    ("my 1040 was late", "form"),
    ("call 800-829-9465", "form"),
    ("i owe 9465", "form"),
    ("we have 30 days", "amount"),
    ("i owe 2 years of taxes", "amount"),
    ("i owe 2023 taxes", "amount"),
    ("i paid 3 installments", "amount"),
    ("it is a CP504 notice", "amount"),
    ("my 401k has nothing", "amount"),
    ("ssn is 123-45-6789", "amount"),
    ("we have 30 days", "date"),
    ("it goes back 10 years", "date"),
    ("got a CP504", "date"),
    ("i owe $12,400", "date"),
    ("form 9465", "date"),
    ("it says 15", "date"),
    ("2 may be wrong", "date"),
    ("call 800-829-1040", "date"),
    ("the 2nd notice came", "date"),
    ("i got the 3rd letter", "date"),
    ("the 1st was a cp501", "date"),
    ("the 2nd or 3rd notice", "date"),
    ("on the 15th of next month", "date"),
    ("it's the 4th time they wrote", "date"),
    ("version 11.2", "date"),
    ("it says 11.2 percent", "date"),
    ("notice 1444", "notice_code"),
]


# A valid phone number is a contact_phone (see below), an invalid one nothing.
PII_AND_COUNTS = [
    "my number is 555.123.4567",
    "ssn 123-45-6789",
    "my EIN is 12-3456789",
    "zip 90210",
    "my zip code is 10001",
    "for 2023 and 2024",
    "we have 30 days",
    "it has been 30 days",
]


@pytest.mark.parametrize("text", PII_AND_COUNTS)
def test_numbers_that_are_no_entity(recognizer: Recognizer, text: str) -> None:
    assert recognizer.recognize(text, today=TODAY) == []


@pytest.mark.parametrize(("text", "label"), NEGATIVES)
def test_no_mention(recognizer: Recognizer, text: str, label: str) -> None:
    assert values(recognizer, text, label) == []


# --- contact details -------------------------------------------------------------------------

EMAILS = [
    ("my email is jane.doe@gmail.com", "jane.doe@gmail.com"),
    ("Email: Jane.Doe@Gmail.COM.", "Jane.Doe@gmail.com"),
    ("JANE@YAHOO.COM", "JANE@yahoo.com"),
    ("you can reach me at bob_smith+irs@mail.co.uk!", "bob_smith+irs@mail.co.uk"),
    ("<maria.garcia@outlook.com>", "maria.garcia@outlook.com"),
    ("(jdoe@example.org)", "jdoe@example.org"),
    ("mailto:jane@example.com", "jane@example.com"),
    ("email me at o'neil@example.net please", "o'neil@example.net"),
    ("its sam-lee@sub.domain.org thanks", "sam-lee@sub.domain.org"),
    ("contact: a1b2@c3.io", "a1b2@c3.io"),
    ("my e-mail address is  jane@gmail.com, phone below", "jane@gmail.com"),
    ("email is jane@gmail.com or jane.work@acme.com", "jane@gmail.com"),
    ("JaneDoe1990@hotmail.com is my email", "JaneDoe1990@hotmail.com"),
]


@pytest.mark.parametrize(("text", "expected"), EMAILS)
def test_email_is_normalized(recognizer: Recognizer, text: str, expected: str) -> None:
    assert values(recognizer, text, "contact_email")[:1] == [expected]


def test_every_email_in_a_message(recognizer: Recognizer) -> None:
    text = "email is jane@gmail.com or jane.work@acme.com"
    assert values(recognizer, text, "contact_email") == ["jane@gmail.com", "jane.work@acme.com"]


def test_email_mention_offsets(recognizer: Recognizer) -> None:
    text = "My email is Jane.Doe@Gmail.COM."
    assert recognizer.recognize(text, today=TODAY) == [
        Mention("contact_email", "Jane.Doe@Gmail.COM", 12, 30, "Jane.Doe@gmail.com")
    ]


PHONES = [
    ("my number is 415-555-0132", "+14155550132"),
    ("call me at (415) 555-0132", "+14155550132"),
    ("cell (415)555-0132", "+14155550132"),
    ("(415) 5550132", "+14155550132"),
    ("415.555.0132", "+14155550132"),
    ("4155550132", "+14155550132"),
    ("+14155550132", "+14155550132"),
    ("+1 415 555 0132", "+14155550132"),
    ("phone 415 555 0132 after 5", "+14155550132"),
    ("+1-415-555-0132", "+14155550132"),
    ("1-800-829-1040", "+18008291040"),
    ("+1 (212) 555-0143", "+12125550143"),
    ("text me 617-555-0100 or email", "+16175550100"),
    ("i owe 12,400, my cell is 202-555-0111", "+12025550111"),
]


@pytest.mark.parametrize(("text", "expected"), PHONES)
def test_phone_is_e164(recognizer: Recognizer, text: str, expected: str) -> None:
    assert values(recognizer, text, "contact_phone") == [expected]


def test_phone_mention_offsets(recognizer: Recognizer) -> None:
    text = "call me at (415) 555-0132 after 5"
    assert recognizer.recognize(text, today=TODAY) == [
        Mention("contact_phone", "(415) 555-0132", 11, 25, "+14155550132")
    ]


PHONES_ONLY = [
    "call 800-829-1040",
    "call (800) 829-1040",
    "i owe 415-555-0132",
    "pay 4155550132",
    "form 415-555-0132",
    "415 555 0132",
    "due by 415.555.0132",
]


@pytest.mark.parametrize("text", PHONES_ONLY)
def test_phone_is_never_another_entity(recognizer: Recognizer, text: str) -> None:
    assert [m.label for m in recognizer.recognize(text, today=TODAY)] == ["contact_phone"]


NAMES = [
    ("my name is jane doe", "Jane Doe"),
    ("My name is Jane Doe and my email is jane@gmail.com", "Jane Doe"),
    ("hi, my name's Bob Smith.", "Bob Smith"),
    ("name is JOHN Q PUBLIC", "John Q Public"),
    ("I'm Mary-Jane O'Neil", "Mary-Jane O'Neil"),
    ("i’m jane", "Jane"),
    ("im jane", "Jane"),
    ("i am Jane Doe, I got a CP504", "Jane Doe"),
    ("Hi, this is John Smith, I'm worried about my CP504", "John Smith"),
    ("it's maria garcia", "Maria Garcia"),
    ("call me Bob", "Bob"),
    ("my name is Dr. Jane Doe", "Jane Doe"),
    ("my name is jane smith from ohio", "Jane Smith"),
    ("My name is Jane got a letter", "Jane"),
    ("my name is Will", "Will"),
    ("hello i am josé garcía", "José García"),
    ("my name is Ronald McDonald", "Ronald McDonald"),
    ("my name is jane phone 415-555-0132", "Jane"),
]


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_name_is_title_case(recognizer: Recognizer, text: str, expected: str) -> None:
    assert values(recognizer, text, "contact_name") == [expected]


def test_name_mention_offsets(recognizer: Recognizer) -> None:
    text = "my name is jane doe, 415-555-0132, jane@gmail.com"
    assert recognizer.recognize(text, today=TODAY) == [
        Mention("contact_name", "jane doe", 11, 19, "Jane Doe"),
        Mention("contact_phone", "415-555-0132", 21, 33, "+14155550132"),
        Mention("contact_email", "jane@gmail.com", 35, 49, "jane@gmail.com"),
    ]


CONTACT_NEGATIVES = [
    ("i'm scared", "contact_name"),
    ("i am not able to pay", "contact_name"),
    ("this is a cp504", "contact_name"),
    ("it's dated march 3", "contact_name"),
    ("It's March 3", "contact_name"),
    ("i'm behind on payments", "contact_name"),
    ("I'm Behind On Payments", "contact_name"),
    ("I Am Not Able To Pay", "contact_name"),
    ("i'm confused", "contact_name"),
    ("this is ridiculous", "contact_name"),
    ("it's urgent", "contact_name"),
    ("i'm freaking out", "contact_name"),
    ("I'm self-employed", "contact_name"),
    ("i'm jane's mom", "contact_name"),
    ("call me back", "contact_name"),
    ("call me at 415-555-0132", "contact_name"),
    ("my name is spelled wrong on the notice", "contact_name"),
    ("this is Form 9465", "contact_name"),
    ("im writing about my notice", "contact_name"),
    ("i'm going to pay by friday", "contact_name"),
    ("i'm jane and i got a cp504 in the mail yesterday", "contact_name"),
    ("this isnt my debt", "contact_name"),
    ("im short on cash", "contact_name"),
    ("email me at jane@", "contact_email"),
    ("jane@@x.com", "contact_email"),
    ("jane@gmail..com", "contact_email"),
    ("jane@gmail", "contact_email"),
    ("bob@mail.test", "contact_email"),
    ("@irs on twitter", "contact_email"),
    ("ssn 123-45-6789", "contact_phone"),
    ("my EIN is 12-3456789", "contact_phone"),
    ("my number is 555.123.4567", "contact_phone"),
    ("999-999-9999", "contact_phone"),
    ("i owe $12,400", "contact_phone"),
    ("zip 90210", "contact_phone"),
    ("it is dated 2026-03-03", "contact_phone"),
]


@pytest.mark.parametrize(("text", "label"), CONTACT_NEGATIVES)
def test_no_contact_mention(recognizer: Recognizer, text: str, label: str) -> None:
    assert values(recognizer, text, label) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("(415) 555-0132", "+14155550132"), ("+44 20 7946 0958", "+442079460958"),
     ("123-45-6789", None), ("555.123.4567", None), ("not a number", None)],
)
def test_canonical_phone(text: str, expected: str | None) -> None:
    assert canonical_phone(text) == expected


def test_canonical_phone_region() -> None:
    assert canonical_phone("020 7946 0958", region="GB") == "+442079460958"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Jane@Gmail.COM", "Jane@gmail.com"), ("mailto:jane@x.org", "jane@x.org"),
     (" jane@x.org ", "jane@x.org"), ("jane@", None), ("jane@@x.com", None), ("", None)],
)
def test_canonical_email(text: str, expected: str | None) -> None:
    assert canonical_email(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("jane doe", "Jane Doe"), ("JANE DOE", "Jane Doe"), ("mary-jane o'neil", "Mary-Jane O'Neil"),
     ("Ronald McDonald", "Ronald McDonald")],
)
def test_canonical_name(text: str, expected: str) -> None:
    assert canonical_name(text) == expected


def test_contacts_have_no_role(recognizer: Recognizer) -> None:
    text = "I'm Jane Doe, jane@gmail.com, 415-555-0132"
    mentions = recognizer.recognize(text, today=TODAY)
    assert [(m.label, m.role) for m in mentions] == [(label, None) for label in CONTACT_LABELS]


def test_labels_add_contacts_to_the_notice_labels() -> None:
    assert NOTICE_LABELS == ("notice_code", "form", "amount", "date")
    assert LABELS[: len(NOTICE_LABELS)] == NOTICE_LABELS
    assert set(LABELS) - set(NOTICE_LABELS) == set(CONTACT_LABELS)


# --- the API ----------------------------------------------------------------------------------


def test_offsets_and_order(recognizer: Recognizer) -> None:
    text = "Got CP-504 on March 3, I owe $12,400, can I use Form 9465?"
    assert recognizer.recognize(text, today=TODAY) == [
        Mention(label="notice_code", text="CP-504", start=4, end=10, value="CP504"),
        Mention(
            label="date", text="March 3", start=14, end=21, value="2026-03-03", role="received"
        ),
        Mention(label="amount", text="$12,400", start=29, end=36, value=12400.0),
        Mention(label="form", text="Form 9465", start=48, end=57, value="9465"),
    ]


def test_offsets_point_into_the_text(recognizer: Recognizer) -> None:
    text = "the final notice of intent to levy, letter 1058, came 3 days ago"
    for mention in recognizer.recognize(text, today=TODAY):
        assert text[mention.start : mention.end] == mention.text


def test_longest_match_wins(recognizer: Recognizer) -> None:
    mentions = recognizer.recognize("final notice of intent to levy", today=TODAY)
    assert [(m.text, m.value) for m in mentions] == [("final notice of intent to levy", "LT11")]


def test_mentions_of_a_doc_equal_recognize(recognizer: Recognizer) -> None:
    text = "cp 504 dated nov 2 says i owe 12.4k, do i send form 433-f?"
    doc = recognizer.nlp(text)
    assert recognizer.mentions(doc, today=TODAY) == recognizer.recognize(text, today=TODAY)


def test_today_defaults_to_the_current_date(recognizer: Recognizer) -> None:
    (mention,) = recognizer.recognize("it came today")
    assert mention.value == dt.date.today().isoformat()


def test_recognizer_accepts_a_pipeline(recognizer: Recognizer) -> None:
    assert Recognizer(recognizer.nlp).nlp is recognizer.nlp


def test_pipeline_lemmatizes_with_lookups(recognizer: Recognizer) -> None:
    doc = recognizer.nlp("they were levying my wages")
    assert [token.lemma_ for token in doc] == ["they", "be", "levy", "my", "wage"]
