from foi_requests.redaction import redact_personal_data


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
