"""Each force's FOI record: how many requests it was sent and how it answered.

`foi_records(queryset)` returns plain dicts (one per force) that the pages, the
chart and an API serializer can all use unchanged. Pass it published requests
only (`FoiRequest.objects.published()`): it counts whatever it is given.

How a force answered is counted per question: a force that answered question 1
and neither confirmed nor denied question 2 refused one question, though the
request as a whole "partially provided" information. A request whose questions
are not recorded counts as one question, the whole request, with its outcome.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, QuerySet

from register.models import Question, QuestionOutcome

from .deadlines import DeadlineStatus
from .models import FoiOutcome, FoiRequest
from .outcomes import whole_request_outcome

# What each question's outcome adds to: refusals are those withheld under an exemption
# and those neither confirmed nor denied (the transparency matrix's "refused to say").
QUESTION_COUNTS = {
    QuestionOutcome.DISCLOSED: ("questions_disclosed",),
    QuestionOutcome.PARTLY_DISCLOSED: ("questions_disclosed",),
    QuestionOutcome.NOT_HELD: ("questions_not_held",),
    QuestionOutcome.NEITHER_CONFIRM_NOR_DENY: ("questions_refused", "questions_neither_confirm_nor_deny"),
    QuestionOutcome.EXEMPT: ("questions_refused", "questions_exempt"),
    QuestionOutcome.NOT_ANSWERED: ("questions_not_answered",),
}
QUESTION_COUNTED = (
    "questions",
    "questions_disclosed",
    "questions_refused",
    "questions_exempt",
    "questions_neither_confirm_nor_deny",
    "questions_not_held",
    "questions_not_answered",
)
COUNTED = (
    "logged",
    "answered_on_time",
    "answered_late",
    "overdue",
    "refused",
    "not_held",
    "awaiting",
    *QUESTION_COUNTED,
)


def _median(values: list[int]) -> int | float | None:
    """The median, as a whole number when it is one (44, not 44.0), 20.5 otherwise."""
    if not values:
        return None
    value = statistics.median(values)
    return int(value) if value == int(value) else value


def foi_records(queryset: QuerySet[FoiRequest], today: datetime.date | None = None) -> list[dict]:
    """Per force, in force-name order:

    - ``logged``: requests recorded;
    - ``answered_on_time`` / ``answered_late``: answered by / after the due date
      (only requests whose dates of receipt and answer are both known);
    - ``median_working_days_late``: the median working days the late answers took;
    - ``median_working_days_taken``: the same over every answer with both dates;
    - ``refused``: requests whose outcome is refused; ``exemptions``: {citation,
      with its subsection: requests citing it};
    - ``not_held``, ``neither_confirm_nor_deny``: requests with that outcome;
    - ``awaiting``: still awaiting an answer, of which ``overdue`` are past due;
    - ``questions``: questions asked, of which ``questions_disclosed`` were answered
      with information (in full or in part), ``questions_refused`` refused (the sum of
      ``questions_exempt``, withheld under an exemption, and
      ``questions_neither_confirm_nor_deny``), ``questions_not_held`` answered "not
      held", ``questions_not_answered`` not answered (yet).

    Whether a request was answered on time, late or is overdue is
    `FoiRequestQuerySet`'s rule (the lists' filters use the same), worked out by
    the database. Three queries, whatever the number of forces.
    """
    rows: dict[int, dict] = {}
    taken: dict[int, list[int]] = defaultdict(list)
    taken_late: dict[int, list[int]] = defaultdict(list)
    requests = (
        queryset.order_by()
        .with_deadline_status(today)
        .annotate(has_questions=Exists(Question.objects.filter(source_id=OuterRef("source_id"))))
        .values_list(
            "pk", "force_id", "force__slug", "force__name", "outcome", "deadline", "working_days_taken", "has_questions"
        )
    )
    force_of_request = {}
    for pk, force_id, slug, name, outcome, status, days, has_questions in requests:
        force_of_request[pk] = force_id
        row = rows.setdefault(force_id, empty_record(slug, name))
        row["logged"] += 1
        if not has_questions:
            count_questions(row, whole_request_outcome(outcome), 1)
        if status == DeadlineStatus.ON_TIME:
            row["answered_on_time"] += 1
        elif status == DeadlineStatus.LATE:
            row["answered_late"] += 1
            taken_late[force_id].append(days)
        elif status == DeadlineStatus.OVERDUE:
            row["overdue"] += 1
        if days is not None:
            taken[force_id].append(days)
        if outcome == FoiOutcome.AWAITING_RESPONSE:
            row["awaiting"] += 1
        elif outcome == FoiOutcome.REFUSED:
            row["refused"] += 1
        elif outcome == FoiOutcome.NOT_HELD:
            row["not_held"] += 1
        elif outcome == FoiOutcome.NEITHER_CONFIRM_NOR_DENY:
            row["neither_confirm_nor_deny"] += 1

    questions = Question.objects.filter(source_id__in=queryset.order_by().values("source_id"))
    for force_id, outcome, number in (
        questions.order_by().values_list("source__foi_request__force_id", "outcome").annotate(number=Count("pk"))
    ):
        count_questions(rows[force_id], outcome, number)

    citations = FoiRequest.exemptions.through.objects.filter(foirequest__in=queryset.order_by().values("pk"))
    for request_id, act, section in citations.values_list("foirequest_id", "exemption__act", "exemption__section"):
        exemptions = rows[force_of_request[request_id]]["exemptions"]
        citation = f"{act} s{section}"
        exemptions[citation] = exemptions.get(citation, 0) + 1

    for force_id, row in rows.items():
        row["median_working_days_taken"] = _median(taken[force_id])
        row["median_working_days_late"] = _median(taken_late[force_id])
        row["exemptions"] = dict(sorted(row["exemptions"].items()))
    return sorted(rows.values(), key=lambda row: row["force_name"])


def count_questions(row: dict, outcome: str, number: int) -> None:
    """Add `number` questions answered with `outcome` to a force's record."""
    row["questions"] += number
    for name in QUESTION_COUNTS[outcome]:
        row[name] += number


def empty_record(slug: str, name: str) -> dict:
    return {
        "force": slug,
        "force_name": name,
        "logged": 0,
        "answered_on_time": 0,
        "answered_late": 0,
        "median_working_days_late": None,
        "median_working_days_taken": None,
        "refused": 0,
        "exemptions": {},
        "not_held": 0,
        "neither_confirm_nor_deny": 0,
        "awaiting": 0,
        "overdue": 0,
        **dict.fromkeys(QUESTION_COUNTED, 0),
    }


def totals(records: list[dict]) -> dict:
    """The same counts across all forces (medians are not additive, so left out)."""
    total = {name: sum(row[name] for row in records) for name in (*COUNTED, "neither_confirm_nor_deny")}
    exemptions: dict[str, int] = defaultdict(int)
    for row in records:
        for citation, count in row["exemptions"].items():
            exemptions[citation] += count
    total["exemptions"] = dict(sorted(exemptions.items()))
    return total


# The chart: one horizontal stacked bar per force, laid out here so the
# template only draws rectangles.
CHART_SEGMENTS = (
    ("answered_on_time", "Answered on time"),
    ("answered_late", "Answered late"),
    ("awaiting", "Still awaiting"),
    ("other", "Answer date or receipt not known"),
)
BAR_HEIGHT = 22
ROW_HEIGHT = 32
CHART_WIDTH = 400  # viewBox units: labels stay readable when the chart shrinks to a phone


def chart_rows(records: list[dict], width: int = CHART_WIDTH) -> dict:
    """Geometry for the SVG bar chart: each force's bar split into timeliness segments."""
    most = max((row["logged"] for row in records), default=0) or 1
    bars = []
    for index, row in enumerate(records):
        counts = {
            "answered_on_time": row["answered_on_time"],
            "answered_late": row["answered_late"],
            "awaiting": row["awaiting"],
        }
        counts["other"] = max(0, row["logged"] - sum(counts.values()))
        x = 0.0
        segments = []
        for key, label in CHART_SEGMENTS:
            segment_width = counts[key] / most * width
            if counts[key]:
                segments.append(
                    {
                        "key": key,
                        "label": label,
                        "count": counts[key],
                        "x": x,
                        "width": segment_width,
                        # The count is written on the segment when it fits, so colour is not the only cue.
                        "text_x": x + segment_width / 2 if segment_width >= 18 else None,
                    }
                )
            x += segment_width
        # Each force's name sits above its bar, so a narrow screen keeps the bar's full width.
        y = index * (ROW_HEIGHT + 18)
        bars.append({"row": row, "label_y": y + 12, "y": y + 16, "segments": segments, "end_x": x})
    return {
        "width": width,
        "height": len(records) * (ROW_HEIGHT + 18) + 4,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
        "legend": CHART_SEGMENTS,
    }
