"""Keeping automated posts out without a third-party service: a field people never see
(a honeypot), a minimum time between opening the form and sending it (a signed
timestamp the sender cannot forge), and a limit on how often one address may send."""

import time

from django.core import signing
from django.core.cache import cache

SALT = "corrections.form-opened"
# A person reads the form and types at least a sentence; a script posts at once.
MIN_FILL_SECONDS = 3
# A form left open longer is sent again with a fresh timestamp (its text is kept).
MAX_FORM_AGE_SECONDS = 24 * 60 * 60
# Corrections (and caught automated posts) one client address may send an hour.
SENDS_PER_HOUR = 5
WINDOW_SECONDS = 60 * 60


class FormTooFast(Exception):
    pass


class FormExpired(Exception):
    pass


def opened_token(now: float | None = None) -> str:
    """A signed record of when the form was shown."""
    return signing.dumps(round(now if now is not None else time.time(), 3), salt=SALT)


def seconds_since_opened(token: str, now: float | None = None) -> float:
    """How long the form was open; FormExpired for a token that is old, altered or missing,
    FormTooFast when sent sooner than a person could."""
    try:
        opened = signing.loads(token or "", salt=SALT, max_age=MAX_FORM_AGE_SECONDS)
    except signing.BadSignature as error:  # SignatureExpired is one
        raise FormExpired from error
    if not isinstance(opened, (int, float)):
        raise FormExpired
    elapsed = (now if now is not None else time.time()) - opened
    if elapsed > MAX_FORM_AGE_SECONDS:
        raise FormExpired
    if elapsed < MIN_FILL_SECONDS:
        raise FormTooFast
    return elapsed


def _window_key(client: str, now: float) -> str:
    return f"corrections:sent:{client}:{int(now // WINDOW_SECONDS)}"


def sends_left(client: str, now: float | None = None) -> int:
    """How many more sends this client address has in the current hour."""
    return max(0, SENDS_PER_HOUR - (cache.get(_window_key(client, now or time.time())) or 0))


def count_send(client: str, now: float | None = None) -> None:
    key = _window_key(client, now or time.time())
    # add() then incr(): atomic in Redis and per process in memory, so concurrent sends all count.
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, WINDOW_SECONDS)


def seconds_until_next_window(now: float | None = None) -> int:
    now = now or time.time()
    return int(WINDOW_SECONDS - (now % WINDOW_SECONDS)) + 1
