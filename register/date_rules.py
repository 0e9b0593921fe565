"""Impossible dates: the rules that keep a published date true to its source.

Each rule is a plain function of dates, without the database or a request, so a
model's `clean()`, the admin forms, the API and the bulk import apply the same
rule. Each returns {field: message}, empty when the dates are possible.

An *error* is a fact no source can truly state: an answer before the request,
a tool started after today. A *warning* is a fact a real source may state and a
researcher should check against it, such as a DPIA completed after the tool was
withdrawn (a retrospective review): the editor confirms it ("I confirm the
source gives these dates") and it is kept.

Partial dates compare by their widest reading (`earliest`/`latest`): "2021"
is not after "2021-06", nor in the future during 2021.
"""

import datetime

from core.partial_dates import PartialDate

CONFIRM_DATES_LABEL = "I confirm the source gives these dates"
CONFIRM_DATES_HELP = (
    "Some dates here are unusual (e.g. an assessment after the deployment ended). "
    "Tick only after checking them against the source."
)
FUTURE = "This date is after today: a source cannot report a future event as done."

DateLike = PartialDate | datetime.date | None


def dates_changed(record, *fields: str) -> bool:
    """Whether a record is new, or any of these fields differs from its stored value:
    a warning once confirmed is not asked again while its dates stay as they are."""
    if record.pk is None:
        return True
    stored = type(record)._default_manager.filter(pk=record.pk).values(*fields).first()
    return stored is None or any(getattr(record, name) != stored[name] for name in fields)


def known(value: object) -> PartialDate | datetime.date | None:
    """The value if it is a date; None for what its field has already refused
    (`full_clean()` calls `clean()` even when a field's own validation failed)."""
    return value if isinstance(value, PartialDate | datetime.date) else None


def first_day(value: PartialDate | datetime.date) -> datetime.date:
    return value.earliest if isinstance(value, PartialDate) else value


def last_day(value: PartialDate | datetime.date) -> datetime.date:
    return value.latest if isinstance(value, PartialDate) else value


def is_future(value: DateLike, today: datetime.date) -> bool:
    """Whether every day the date could be is after today."""
    value = known(value)
    return value is not None and first_day(value) > today


def future_errors(today: datetime.date, **dates: DateLike) -> dict[str, str]:
    """An error on each of the named dates that is after today."""
    return {name: FUTURE for name, value in dates.items() if is_future(value, today)}


def is_before(later: DateLike, earlier: DateLike) -> bool:
    """Whether `later` is certainly before `earlier` (both given)."""
    later, earlier = known(later), known(earlier)
    return later is not None and earlier is not None and last_day(later) < first_day(earlier)


def deployment_errors(started: PartialDate | None, ended: PartialDate | None, today: datetime.date) -> dict[str, str]:
    errors = future_errors(today, started=started)
    if is_before(ended, started):
        errors["ended"] = "The end cannot be before the start."
    return errors


def deployment_warnings(
    status: str, ended: PartialDate | None, today: datetime.date, assessments_after_end: int = 0
) -> dict[str, str]:
    """Unusual but possible: "in use" though it ended; assessments dated after its end."""
    warnings = {}
    if status == "in_use" and isinstance(ended, PartialDate) and ended.latest < today:
        warnings["status"] = f"The status is “in use” but the deployment ended in {ended.label}."
    if assessments_after_end:
        warnings["ended"] = (
            f"{assessments_after_end} of its assessments {'is' if assessments_after_end == 1 else 'are'} "
            "dated after this end."
        )
    return warnings


def assessment_errors(conducted: PartialDate | None, today: datetime.date) -> dict[str, str]:
    return future_errors(today, conducted=conducted)


def assessment_warnings(conducted: PartialDate | None, deployment_ended: PartialDate | None) -> dict[str, str]:
    """An assessment after its deployment ended: a retrospective review, or a mistyped date.
    (One before the deployment started is ordinary: a DPIA comes first.)"""
    if is_before(deployment_ended, conducted):
        return {"conducted": f"Dated after the deployment ended ({deployment_ended.label})."}
    return {}


def foi_request_errors(
    *,
    today: datetime.date,
    date_received: datetime.date | None,
    date_responded: datetime.date | None,
    clarification_requested: datetime.date | None,
    internal_review_requested: datetime.date | None,
) -> dict[str, str]:
    """A request's impossible dates, beyond "answered before received" (its `clean()` has that)."""
    errors = future_errors(today, date_received=date_received, date_responded=date_responded)
    if is_before(clarification_requested, date_received):
        errors["clarification_requested"] = "The clarification cannot be asked for before the request was received."
    if is_before(internal_review_requested, date_responded):
        errors["internal_review_requested"] = "An internal review cannot be requested before the answer."
    return errors
