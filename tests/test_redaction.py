import pytest
from django.core.exceptions import ValidationError

from foi_requests.redaction import personal_data_found, redact_personal_data
from tests.factories import FoiRequestFactory


def test_requester_name_and_private_emails_are_removed():
    text = (
        "Dear Adam Harkens\nSent via email to: request-874591-c7a7d5d0@whatdotheyknow.com\n"
        "Write to FOI@lancashire.police.uk or casework@ico.org.uk."
    )
    redacted = redact_personal_data(text, names=["Adam Harkens"], emails=[])
    assert "Harkens" not in redacted
    assert "whatdotheyknow" not in redacted
    assert "FOI@lancashire.police.uk" in redacted
    assert "casework@ico.org.uk" in redacted


def test_any_personal_email_is_removed_even_if_not_recorded():
    assert "jane" not in redact_personal_data("Reply to jane.doe@gmail.com please")


def test_name_match_is_whole_word_and_case_insensitive():
    text = "DEAR ADAM HARKENS, Adam Harkensson"
    assert redact_personal_data(text, names=["Adam Harkens"]) == "DEAR [requester], Adam Harkensson"


# Letter layouts written for these tests (invented names, addresses and forces). Each gives
# what the rules must remove and what they must keep.
LAYOUTS = {
    "formal letter with the recipient's address block under the letterhead": (
        "Northshire Police\nFreedom of Information Unit\nPO Box 123\nNorthtown NT1 1AB\n\n"
        "Ms Jane Example\n12 Sample Road\nExampleton\nEX1 2YZ\n\n"
        "Our ref: NP/FOI/2024/0101\nDate: 4 March 2024\n\n"
        "Dear Ms Example,\n\nNo information is held about predictive tools.\n\n"
        "Yours sincerely,\n\nDisclosure Officer\nNorthshire Police",
        False,
        ["Ms Jane Example", "12 Sample Road", "Exampleton", "EX1 2YZ", "Ms Example", "Jane Example"],
        ["PO Box 123", "Northtown NT1 1AB", "Our ref: NP/FOI/2024/0101", "Dear [name removed],", "Disclosure Officer"],
    ),
    "letter converted from PDF, one line to a paragraph": (
        "Westshire Constabulary\n\nDisclosure Unit\n\nPO Box 99\n\nWesttown WT1 1AA\n\n"
        "Mr Chris Example\n\n22 Sample Avenue\n\nExampleville\n\nEV3 4XY\n\n"
        "Date: 12 April 2023\n\nOur ref: WC/FOI/2023/77\n\nDear Mr Example,\n\nThe force does not use the tool.",
        False,
        ["Chris Example", "22 Sample Avenue", "Exampleville", "EV3 4XY", "Mr Example"],
        ["Westtown WT1 1AA", "PO Box 99", "Our ref: WC/FOI/2023/77", "Date: 12 April 2023", "does not use the tool"],
    ),
    "email-style reply with its header": (
        "From: Freedom of Information <foi@northshire.police.uk>\nSent: 14 March 2024 09:12\n"
        "To: Sam Example <sam.example@examplemail.com>\nSubject: FOI 2024/0456 - Facial recognition\n\n"
        "Dear Sam,\n\nNorthshire Police uses retrospective facial recognition.\n\nRegards,\nFOI Team",
        False,
        ["Sam Example", "sam.example@examplemail.com", "Dear Sam"],
        [
            "Freedom of Information <foi@northshire.police.uk>",
            "Subject: FOI 2024/0456",
            "Dear [name removed],",
            "retrospective facial recognition",
            "Regards,\nFOI Team",
        ],
    ),
    "WhatDoTheyKnow-style reply with the request address in header and footer": (
        "Sent via email to: request-654321-9f8e7d6c@whatdotheyknow.com\n\nDear Alex Example,\n\n"
        "Please find our response to FOI-2024-0789 below.\n\nYours sincerely,\n\nInformation Rights Team\n"
        "Westshire Police\n\n-----Original Message-----\n"
        "From: Alex Example <request-654321-9f8e7d6c@whatdotheyknow.com>\nTo: FOI <foi@westshire.police.uk>\n"
        "Subject: Freedom of Information request - Use of algorithms\n\nDear Westshire Police,\n\n"
        "Please tell me which algorithms you use.\n\nYours faithfully,\n\nAlex Example\n\n"
        "Please use this email address for all replies to this request:\n"
        "request-654321-9f8e7d6c@whatdotheyknow.com",
        False,
        ["Alex Example", "request-654321", "whatdotheyknow"],
        [
            "FOI <foi@westshire.police.uk>",
            "Dear Westshire Police,",
            "Information Rights Team",
            "Please tell me which algorithms you use.",
            "Please use this email address for all replies to this request:",
        ],
    ),
    "salutation with a title and an initial": (
        "Our ref: 2024/55\n\nDear Mr J. Smith\n\nThe information is not held. We wrote to Mr J. Smith on 3 May.",
        False,
        ["J. Smith"],
        ["Our ref: 2024/55", "Dear [name removed]\n", "The information is not held."],
    ),
    "salutation with a title and no comma": (
        "Reference 2023-1187\n\nDear Dr Ng\n\nThank you for your request about automated number plate recognition.",
        False,
        ["Dr Ng"],
        ["Reference 2023-1187", "Dear [name removed]", "automated number plate recognition"],
    ),
    "salutation with first and last name, repeated in the text": (
        "Dear Jane Doe,\n\nThank you for your email. As Jane Doe asked, we attach the policy.",
        False,
        ["Jane Doe"],
        ["Dear [name removed],", "As [name removed] asked, we attach the policy."],
    ),
    "generic salutations are kept": (
        "Dear Sir/Madam,\n\nDear Sir or Madam\n\nDear Requester,\n\nDear Applicant\n\nDear FOI Team,\n\nNothing held.",
        False,
        [],
        [
            "Dear Sir/Madam,",
            "Dear Sir or Madam",
            "Dear Requester,",
            "Dear Applicant",
            "Dear FOI Team,",
            "Nothing held.",
        ],
    ),
    "force officer's signature is the force's": (
        "Dear Requester,\n\nThe force holds no such model.\n\nYours sincerely,\n\nJane Officer\nDisclosure Officer\n"
        "Lancashire Constabulary\nfoi@lancashire.police.uk",
        False,
        [],
        [
            "Dear Requester,",
            "Jane Officer",
            "Disclosure Officer",
            "Lancashire Constabulary",
            "foi@lancashire.police.uk",
        ],
    ),
    "Scottish FOISA answer": (
        "Police Scotland\nInformation Management\nExample House\n1 Sample Street\nExampleburgh EH9 9ZZ\n"
        "foi@scotland.police.uk\n\nProfessor Robin Example\nBy email\n\nOur reference: IM-FOI-2024-0123\n"
        "Your request dated: 5 January 2024\n\nDear Professor Example\n\n"
        "Freedom of Information (Scotland) Act 2002 (FOISA)\n\nRobin Example asked about risk tools. "
        "Section 17 of FOISA applies: the information is not held.",
        False,
        ["Robin Example", "Professor Example"],
        [
            "Exampleburgh EH9 9ZZ",
            "foi@scotland.police.uk",
            "By email",
            "Our reference: IM-FOI-2024-0123",
            "Section 17 of FOISA applies",
        ],
    ),
    "answers in a table": (
        "Northshire Police – Freedom of Information Response\nReference: 2024/FOI/0042\n\nDear Miss Example,\n\n"
        "| Question | Answer |\n|---|---|\n| 1. Do you use facial recognition? | No |\n"
        "| 2. Do you use a risk model? | Not held |\n\nYours sincerely,\nInformation Compliance Unit",
        False,
        ["Miss Example"],
        [
            "Reference: 2024/FOI/0042",
            "| 1. Do you use facial recognition? | No |",
            "| 2. Do you use a risk model? | Not held |",
        ],
    ),
    "the requester's own request, with their address and signature": (
        "Jo Example\n4 Sample Close\nExampleton\nEX1 2YZ\n\nFreedom of Information Officer\nNorthshire Police\n\n"
        "Dear Sir or Madam,\n\nPlease tell me whether the force uses predictive mapping.\n\nYours faithfully,\n\n"
        "Jo Example",
        True,
        ["Jo Example", "4 Sample Close", "EX1 2YZ"],
        [
            "Freedom of Information Officer\nNorthshire Police",
            "Dear Sir or Madam,",
            "Please tell me whether the force uses predictive mapping.",
            "Yours faithfully,",
        ],
    ),
    "a request signed on the sign-off line": (
        "Please list the algorithms used for custody decisions.\n\nKind regards, Pat Example",
        True,
        ["Pat Example"],
        ["Please list the algorithms used for custody decisions.", "Kind regards, [name removed]"],
    ),
    "an address with a postcode and no name": (
        "The Old Mill\nSample Lane\nExampleford\nEF5 6GH\n\nDear Sir or Madam,\n\nPlease send the DPIA.",
        True,
        ["The Old Mill", "Sample Lane", "EF5 6GH"],
        ["Dear Sir or Madam,", "Please send the DPIA."],
    ),
    "for the attention of a titled requester": (
        "FAO: Mx Sam Example\nOur ref: 77/2024\n\nDear Mx Example,\n\nThe tool was retired in 2021.",
        False,
        ["Sam Example", "Mx Example"],
        ["FAO: [name removed]", "Our ref: 77/2024", "The tool was retired in 2021."],
    ),
    "salutation to a couple": (
        "Dear Mr and Mrs Example,\n\nWe hold no records of that kind.",
        False,
        ["Mr and Mrs Example"],
        ["Dear [name removed],", "We hold no records of that kind."],
    ),
    "a name line above the delivery line, and a private address in the body": (
        "Data Protection Office\n\nTel: 01234 567890\n\nAlex Sample\n\nSent via email to: alex@example.org\n\n"
        "Date: 1 June 2022\n\nDear Alex Sample\n\nContact foi@northshire.police.uk or casework@ico.org.uk.",
        False,
        ["Alex Sample", "alex@example.org"],
        ["Data Protection Office", "Tel: 01234 567890", "foi@northshire.police.uk", "casework@ico.org.uk"],
    ),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_letter_layouts(layout):
    text, from_requester, removed, kept = LAYOUTS[layout]
    redacted = redact_personal_data(text, from_requester=from_requester)
    for personal in removed:
        assert personal not in redacted, personal
    for public in kept:
        assert public in redacted, public
    # What the rules removed is what they detect; nothing they detect is left.
    assert bool(personal_data_found(text, from_requester=from_requester)) == bool(removed)
    assert personal_data_found(redacted, from_requester=from_requester) == []


def test_at_least_fifteen_layouts():
    assert len(LAYOUTS) >= 15


def test_reasons_name_what_was_found():
    reasons = personal_data_found("Dear Ms Example,\n\nReply to request-123456-abcdef12@whatdotheyknow.com")
    assert reasons == [
        "a salutation names a person: “Dear Ms Example,”",
        "an email address that is not a public body's: “request-123456-abcdef12@whatdotheyknow.com”",
    ]


def test_what_the_rules_cannot_remove_safely_is_still_detected():
    # A postcode inside a sentence at the head: removing it would leave the street.
    text = "I live at 12 Sample Road, Exampleford EF5 6GH and ask for your DPIA."
    assert redact_personal_data(text, from_requester=True) == text
    assert personal_data_found(text, from_requester=True) == [f"a postcode at the head of the letter: “{text}”"]
    # A salutation that is neither generic nor a name the rules recognise.
    assert personal_data_found(redact_personal_data("Dear jane,\n\nNot held.")) == [
        "a salutation names a person: “Dear jane,”"
    ]


def test_a_force_officers_sign_off_is_kept_but_the_requesters_is_not():
    text = "Please send the policy.\n\nYours sincerely,\nJane Sample"
    assert redact_personal_data(text) == text
    assert redact_personal_data(text, from_requester=True).endswith("Yours sincerely,\n[name removed]")


def test_a_published_request_whose_text_still_holds_personal_data_is_refused(db):
    foi_request = FoiRequestFactory(
        is_published=True,
        request_text="I live at 12 Sample Road, Exampleford EF5 6GH and ask for your DPIA.",
        response_text="Dear jane,\n\nNo information held.",
    )
    with pytest.raises(ValidationError) as error:
        foi_request.full_clean()
    messages = error.value.message_dict
    assert "a postcode at the head of the letter" in messages["request_text"][0]
    assert "a salutation names a person: “Dear jane,”" in messages["response_text"][0]
    # A draft may hold it while an editor corrects it; what the rules remove is no obstacle.
    foi_request.is_published = False
    foi_request.full_clean()
    foi_request.is_published = True
    foi_request.request_text = "Dear Sir or Madam,\n\nPlease send your DPIA.\n\nYours faithfully,\nJo Example"
    foi_request.response_text = "Dear Ms Example,\n\nNo information held."
    foi_request.full_clean()
    assert "Example" not in foi_request.public_request_text + foi_request.public_response_text


def test_the_name_a_request_is_signed_with_is_removed_from_the_answer_too(db):
    foi_request = FoiRequestFactory(
        request_text="Please send the policy.\n\nYours faithfully,\n\nJo Example",
        response_text="Your request:\n> Please send the policy.\n> Yours faithfully,\n> Jo Example\n\nNot held.",
    )
    assert "Jo Example" not in foi_request.public_response_text
    assert "Not held." in foi_request.public_response_text
