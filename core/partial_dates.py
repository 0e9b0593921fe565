"""Dates known only to the year or the month, as FOI answers give them.

A force writes "2008", "Nov 2021" or "27/11/2019". Padding "Nov 2021" into
1 November 2021 would invent a day nobody stated, so a partial date keeps its
precision. It is stored as a reduced-precision ISO 8601 string ("2008",
"2021-11", "2019-11-27"), which sorts and compares correctly as text, so the
database can order and filter by it without knowing about precision.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

ISO_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


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
