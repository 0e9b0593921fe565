"""What browser tests of the admin do alike: sign in as an editor, select words in an FOI answer."""

from playwright.sync_api import expect

PASSWORD = "a-long-test-password"


def fill_sign_in(page, username: str = "editor"):
    """Fill the admin's sign-in form on the page shown; returns its button, for the test to press
    (a test counting the researcher's submissions presses it through its counter)."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    return page.get_by_role("button", name="Log in")


def select_in_answer(page, words: str) -> None:
    """Select `words` in the answer shown above the fact form, as a mouse would, and let go:
    the form's passage then holds them."""
    page.locator("#answer-text").evaluate(
        """(node, words) => {
            const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.data.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(walker.currentNode, at);
                    range.setEnd(walker.currentNode, at + words.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    node.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                    return;
                }
            }
            throw new Error("Not in the answer: " + words);
        }""",
        words,
    )
    expect(page.locator("#id_passage")).to_have_value(words)
