"""When an FOI answer is due, by the law the authority answers under.

FOIA 2000 s10(1): an authority must comply "promptly and in any event not later
than the twentieth working day following the date of receipt". s10(6): a
working day is any day other than a Saturday, a Sunday, Christmas Day, Good
Friday or a day which is a bank holiday under the Banking and Financial
Dealings Act 1971 in **any part of the United Kingdom**: so a Northern Irish
bank holiday (12 July) or a Scottish one (St Andrew's Day) stops the clock for
a force in England too.

FOISA 2002 s10(1) gives the same twenty working days; s73 defines a working
day as any day other than a Saturday, a Sunday, Christmas Day or a day which
is a bank holiday in **Scotland** under the 1971 Act (Good Friday is one
there; Easter Monday is not). FOISA has no public-interest extension.

Bank holidays come from the maintained `holidays` calendar (its UK subdivisions
ENG, WLS, SCT and NIR, which include the one-off holidays proclaimed under the
1971 Act such as the state funeral of 19 September 2022), never a typed list.

Where an authority asks for clarification (FOIA s1(3), FOISA s1(3)) it need not
answer until it has it: the twenty days run again from the day following the
receipt of the clarification.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from dateutil.easter import easter

from register.models import FoiAct

STATUTORY_WORKING_DAYS = 20

# The UK's subdivisions in the `holidays` calendar: FOIA counts the bank
# holidays of every one of them, FOISA those of Scotland only.
SUBDIVISIONS = {FoiAct.FOIA: ("ENG", "WLS", "SCT", "NIR"), FoiAct.FOISA: ("SCT",)}


@lru_cache(maxsize=512)
def _non_working_holidays(act: str, year: int) -> frozenset[datetime.date]:
    days: set[datetime.date] = set()
    for subdivision in SUBDIVISIONS[FoiAct(act)]:
        days.update(holidays.UK(subdiv=subdivision, years=year).keys())
    # Named in both Acts whatever the calendar says; Good Friday only in FOIA
    # (it is a Scottish bank holiday anyway, so FOISA loses nothing).
    days.add(datetime.date(year, 12, 25))
    if act == FoiAct.FOIA:
        days.add(easter(year) - datetime.timedelta(days=2))
    return frozenset(days)


def is_working_day(day: datetime.date, act: str = FoiAct.FOIA) -> bool:
    """Whether `day` is a working day under the Act (`FoiAct.FOIA` or `FoiAct.FOISA`)."""
    return day.weekday() < 5 and day not in _non_working_holidays(str(act), day.year)


def add_working_days(start: datetime.date, count: int, act: str = FoiAct.FOIA) -> datetime.date:
    """The `count`th working day following `start` (`start` itself never counts)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    while count:
        day += datetime.timedelta(days=1)
        if is_working_day(day, act):
            count -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date, act: str = FoiAct.FOIA) -> int:
    """Working days following `start` up to and including `end`: an answer sent
    on the due date took exactly 20; one sent the day of receipt took 0."""
    if end <= start:
        return 0
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day, act):
            count += 1
    return count


def clock_start(received: datetime.date | None, clarification_received: datetime.date | None) -> datetime.date | None:
    """The day the twenty working days follow: receipt, or receipt of the clarification asked for."""
    if clarification_received and (received is None or clarification_received >= received):
        return clarification_received
    return received


def due_date(
    received: datetime.date | None,
    act: str = FoiAct.FOIA,
    *,
    clarification_received: datetime.date | None = None,
    extended_to: datetime.date | None = None,
) -> datetime.date | None:
    """The day the answer is due, or None when the day of receipt is unknown.

    `extended_to` is the later deadline an authority set under FOIA s10(3) to
    consider the public interest; it only ever moves the deadline later.
    """
    start = clock_start(received, clarification_received)
    if start is None:
        return None
    statutory = add_working_days(start, STATUTORY_WORKING_DAYS, act)
    if extended_to and act == FoiAct.FOIA and extended_to > statutory:
        return extended_to
    return statutory


class DeadlineStatus:
    """How a request stands against its due date (plain strings, for templates and the API)."""

    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    PENDING = "pending"
    UNKNOWN = "unknown"

    LABELS = {
        ON_TIME: "Answered on time",
        LATE: "Answered late",
        OVERDUE: "Overdue",
        PENDING: "Not yet due",
        UNKNOWN: "Not known",
    }


def deadline_status(
    due: datetime.date | None, responded: datetime.date | None, awaiting: bool, today: datetime.date
) -> str:
    """On time, late, overdue (no answer yet and past due), pending, or unknown
    (no due date, or no answer date for a request that is not awaiting one)."""
    if due is None:
        return DeadlineStatus.UNKNOWN
    if responded is not None:
        return DeadlineStatus.ON_TIME if responded <= due else DeadlineStatus.LATE
    if not awaiting:
        return DeadlineStatus.UNKNOWN
    return DeadlineStatus.OVERDUE if today > due else DeadlineStatus.PENDING
