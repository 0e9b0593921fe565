"""Dates known only to the year or the month, as FOI answers give them.

A force writes "2008", "Nov 2021" or "27/11/2019". Padding "Nov 2021" into
1 November 2021 would invent a day nobody stated, so a partial date keeps its
precision. It is stored as a reduced-precision ISO 8601 string ("2008",
"2021-11", "2019-11-27"), which sorts and compares correctly as text, so the
database can order and filter by it without knowing about precision.

Researchers type dates as the sources write them ("March 2020", "1 October
2019", "01/10/2019"): `parse_written_date` is the one parser the admin, the API
and bulk import share, and it refuses anything it cannot read for certain.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

ISO_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")

# What a researcher may type, said in every refusal and in the admin's help texts.
ACCEPTED_FORMS = "2020, March 2020 (or Mar 2020), 1 October 2019, 01/10/2019 (day first), 10/2019 or 2019-10-01"

# English month names, not the `calendar` module's, which follow the server's locale.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_BY_NAME = {
    **{name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}

# A year is matched with two digits too, only to refuse it with its reason.
_YEAR = r"(?P<year>\d{4}|\d{2})"
_ORDINAL = r"(?:st|nd|rd|th)?"
WRITTEN_DATE_PATTERNS = [
    # Nov 2021, March 2020, Sept. 2020
    re.compile(rf"(?P<month_name>[a-z]+)\.?,?\s+{_YEAR}", re.IGNORECASE),
    # 1 October 2019, 1st of Oct 2019
    re.compile(rf"(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<month_name>[a-z]+)\.?,?\s+{_YEAR}", re.IGNORECASE),
    # October 1, 2019: the month is named, so the order is not ambiguous
    re.compile(rf"(?P<month_name>[a-z]+)\.?\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+{_YEAR}", re.IGNORECASE),
    # 01/10/2019, 1-10-2019, 01.10.2019: the day first, as in the UK
    re.compile(rf"(?P<day>\d{{1,2}})(?P<separator>[/.-])(?P<month>\d{{1,2}})(?P=separator){_YEAR}"),
    # 10/2019
    re.compile(rf"(?P<month>\d{{1,2}})[/.-]{_YEAR}"),
]


class Precision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.year < datetime.MINYEAR:
            raise ValueError(f"year {self.year} is not a calendar year")
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not between 1 and 12")
        if self.day is not None:
            datetime.date(self.year, self.month, self.day)  # raises ValueError for 31 June

    @classmethod
    def parse(cls, value: str) -> PartialDate:
        """Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD"; ValueError otherwise."""
        match = ISO_PATTERN.match(value.strip())
        if not match:
            raise ValueError(f"{value!r} is not a date written as YYYY, YYYY-MM or YYYY-MM-DD")
        parts = {key: int(part) for key, part in match.groupdict().items() if part}
        return cls(**parts)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def isoformat(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    @property
    def earliest(self) -> datetime.date:
        """The first day the date could be: for comparisons, never for display."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> datetime.date:
        month = self.month or 12
        return datetime.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    @property
    def label(self) -> str:
        """The date as a reader should see it, no more precise than the source."""
        if self.day is not None:
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        if self.month is not None:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)

    def __str__(self) -> str:
        return self.isoformat()


def parse_written_date(text: str) -> PartialDate:
    """Read a date as people write it, keeping the precision it was written with.

    "2020" is a year, "March 2020" a month, "1 October 2019" or "01/10/2019"
    (day first) a day; ISO text ("2021-11") is read as stored. Anything
    impossible or ambiguous raises ValueError saying why and listing the
    accepted forms. (dateutil's parser would fill a missing day or month with
    a default, inventing a precision nobody stated, and guess two-digit years.)
    """
    text = " ".join(str(text).split())
    iso = ISO_PATTERN.match(text)
    if iso:
        parts = iso.groupdict()
        return _checked_date(text, parts["year"], parts["month"], parts["day"])
    for pattern in WRITTEN_DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            parts = match.groupdict()
            month = parts.get("month")
            if parts.get("month_name"):
                month = MONTHS_BY_NAME.get(parts["month_name"].lower())
                if month is None:
                    raise _unreadable(text, f"“{parts['month_name']}” is not a month")
            return _checked_date(text, parts["year"], month, parts.get("day"))
    raise _unreadable(text)


def may_be_on_or_after(field: str, date: PartialDate) -> models.Q:
    """Rows whose partial date `field` may fall on or after `date`, read at its widest
    ("2020" may be on or after March 2020). ISO text sorts by date, except that a date
    sorts before the more precise dates inside it: those coarser than `date` are named."""
    text = date.isoformat()
    coarser = [prefix for prefix in (text[:4], text[:7]) if len(prefix) < len(text)]
    condition = models.Q(**{f"{field}__gte": text})
    return condition | models.Q(**{f"{field}__in": coarser}) if coarser else condition


def may_be_on_or_before(field: str, date: PartialDate) -> models.Q:
    """Rows whose partial date `field` may fall on or before `date`, read at its widest
    ("2020-03-15" may be on or before March 2020: it is inside it)."""
    text = date.isoformat()
    return models.Q(**{f"{field}__lte": text}) | models.Q(**{f"{field}__startswith": text})


def _checked_date(text: str, year: str, month: str | int | None, day: str | None) -> PartialDate:
    """The date the parts name, or ValueError saying why there is none."""
    if len(year) != 4:
        raise _unreadable(text, f"the year “{year}” could be in any century")
    year_number = int(year)
    month_number = None if month is None else int(month)
    day_number = None if day is None else int(day)
    if month_number is not None and not 1 <= month_number <= 12:
        raise _unreadable(text, f"there is no month {month_number}")
    if day_number is not None:
        days_in_month = calendar.monthrange(year_number, month_number)[1]
        if not 1 <= day_number <= days_in_month:
            raise _unreadable(text, f"{MONTH_NAMES[month_number - 1]} {year_number} has no day {day_number}")
    try:
        return PartialDate(year_number, month_number, day_number)
    except ValueError as error:
        raise _unreadable(text, str(error)) from None


def _unreadable(text: str, reason: str = "") -> ValueError:
    because = f": {reason}" if reason else ""
    return ValueError(f"“{text}” is not a date we can read{because}. Write it as {ACCEPTED_FORMS}.")


class PartialDateFormField(forms.CharField):
    """A partial date typed as people write it, shown back in words ("March 2020")."""

    def to_python(self, value) -> PartialDate | None:
        if isinstance(value, PartialDate):
            return value
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_written_date(text)
        except ValueError as error:
            # The reason quotes the text typed, which may hold a "%": a parameter, never the format.
            raise ValidationError("%(reason)s", code="invalid", params={"reason": error}) from None

    def prepare_value(self, value):
        return value.label if isinstance(value, PartialDate) else value


class PartialDateField(models.CharField):
    """A date with its precision: "2008", "2021-11" or "2019-11-27"."""

    description = "A date known to the year, the month or the day"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 10:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return None
        return PartialDate.parse(value)

    def to_python(self, value):
        if value in (None, "") or isinstance(value, PartialDate):
            return value or None
        if isinstance(value, datetime.date):
            return PartialDate(value.year, value.month, value.day)
        try:
            return PartialDate.parse(str(value))
        except ValueError as error:
            raise ValidationError(
                "Enter a date as YYYY (2008), YYYY-MM (2021-11) or YYYY-MM-DD (2019-11-27): %(reason)s",
                code="invalid",
                params={"reason": error},
            ) from error

    def run_validators(self, value):
        # CharField's validators (max_length) measure the stored text.
        super().run_validators(value.isoformat() if isinstance(value, PartialDate) else value)

    def get_prep_value(self, value):
        value = self.to_python(value)
        return value.isoformat() if value else None

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return value.isoformat() if value else ""

    def formfield(self, **kwargs):
        # "1 September 2019" is longer than the ISO text stored, so the form has no max_length.
        return super().formfield(**{"form_class": PartialDateFormField, "max_length": None, **kwargs})
