"""The FilterSet for FOI requests, shared by the HTML list and the API."""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django_filters.fields import ModelMultipleChoiceField
from drf_spectacular.utils import extend_schema_field

from core.filters import FilterSet, RecordsFilter, through_published
from core.parsers import is_ascii_digits, whole_number
from register.filters import (
    AnyOfFilter,
    StableOrderingFilter,
    StrictBooleanFilter,
    modified_after_filter,
    search_filter,
    slug_choices,
)
from register.models import FoiAct, Force, Nation, Question, QuestionOutcome, ToolCategory

from .exemptions import split_exemption_code
from .models import Exemption, FoiOutcome, FoiRequest


def cited_under(act: str, section: str) -> Q:
    """The exemptions cited under a section or subsection: "31" is every part of s31 (31,
    31(1)(a), 31(3)...), "31(1)" is 31(1) with its paragraphs, "31(3)" only 31(3)."""
    return Q(act=act) & (Q(section=section) | Q(section__startswith=f"{section}("))


class ExemptionChoiceField(ModelMultipleChoiceField):
    """Accepts an exemption's code ("FOIA-12(1)"), which covers every exemption cited
    under it (`cited_under`), as well as its id (that exemption only)."""

    def _check_values(self, value):
        ids = []
        for item in value:
            item = str(item).strip()
            # Before the code reaches the database (PostgreSQL refuses a NUL in text), as the parent does.
            self.validate_no_null_characters(item)
            if is_ascii_digits(item):
                number = whole_number(item)
                if number is None:
                    raise ValidationError("No exemption has the id %(id)s.", code="invalid_choice", params={"id": item})
                ids.append(str(number))
                continue
            try:
                act, section = split_exemption_code(item)
            except ValueError as error:
                # The client's text goes in as a parameter: a "%" in it is not a placeholder.
                raise ValidationError("%(reason)s", code="invalid_choice", params={"reason": str(error)}) from None
            found = Exemption.objects.filter(cited_under(act, section)).values_list("pk", flat=True)
            if not found:
                raise ValidationError(
                    "No exemption %(code)s is recorded.", code="invalid_choice", params={"code": item}
                )
            ids.extend(str(pk) for pk in found)
        return super()._check_values(ids)


EXEMPTION_FILTER_HELP = (
    "Requests citing an exemption, for the whole request or for one of its questions. Give a section, "
    "e.g. FOIA-31 (every part of s31: 31(1)(a), 31(3)...), a subsection, e.g. FOIA-31(3) (that one, with any "
    "paragraphs under it), or an exemption's id. Repeat for any of several."
)


# The schema of a filter typed here takes no help text from the filter: it is given here.
@extend_schema_field({"type": "string", "description": EXEMPTION_FILTER_HELP})
class ExemptionCodeFilter(RecordsFilter):
    """Requests citing any of the chosen exemptions, for the request as a whole or for one of its questions."""

    field_class = ExemptionChoiceField

    def filter(self, qs, value):
        if not value:
            return qs
        chosen = {exemption.pk for exemption in value}
        by_question = Exemption.questions.through.objects.filter(
            question__source=OuterRef("source"), exemption__in=chosen
        )
        return self.get_method(qs)(through_published(qs.model, self.field_name, chosen) | Q(Exists(by_question)))


class QuestionOutcomeFilter(AnyOfFilter):
    """Requests with at least one question answered with any of the chosen outcomes. The
    questions are those of the request's own answer, public with it: no rule of their own."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(Exists(Question.objects.filter(source=OuterRef("source"), outcome__in=value)))

    @staticmethod
    def facet_counts(rows) -> dict[str, int]:
        """Requests of `rows` per outcome of their questions (`core.facets`), counted from the
        questions alone by their answers (one answer per request), as the filter finds them."""
        questions = Question.objects.filter(source__in=rows.order_by().values("source")).order_by()
        return dict(questions.values_list("outcome").annotate(total=Count("source", distinct=True)))


def requester_matches(words: list[str]) -> Q:
    """Requests whose requester a search names. Their texts still hold the
    requester's name and address (pages show them redacted), so searching for
    a person must not find what they asked (UK GDPR)."""
    condition = Q(pk__in=[])
    for word in words:
        if len(word) >= 3:
            condition |= Q(requester_name__icontains=word) | Q(requester_email__icontains=word)
    return condition


class FoiRequestFilter(FilterSet):
    search = search_filter(
        "title",
        "reference",
        "other_references",
        "request_text",
        "response_text",
        "force__name",
        never_match=requester_matches,
    )
    force = slug_choices(Force, "force", "Authority")
    nation = AnyOfFilter(field_name="force__nation", choices=Nation.choices, label="Nation")
    outcome = AnyOfFilter(choices=FoiOutcome.choices, label="Outcome")
    exemption = ExemptionCodeFilter(
        field_name="exemptions",
        queryset=Exemption.objects.all(),
        label="Exemption cited",
        help_text=EXEMPTION_FILTER_HELP,
    )
    question_outcome = QuestionOutcomeFilter(
        field_name="source__questions__outcome",
        choices=QuestionOutcome.choices,
        label="A question's outcome",
        help_text="Requests with at least one recorded question answered so, e.g. neither_confirm_nor_deny. "
        "A request whose questions are not recorded has only its `outcome`.",
    )
    category_asked = AnyOfFilter(
        field_name="categories_asked__category", choices=ToolCategory.choices, label="Asked about"
    )
    received_after = django_filters.DateFilter(
        field_name="date_received", lookup_expr="gte", label="Received on or after"
    )
    received_before = django_filters.DateFilter(
        field_name="date_received", lookup_expr="lte", label="Received on or before"
    )
    responded_after = django_filters.DateFilter(
        field_name="date_responded", lookup_expr="gte", label="Answered on or after"
    )
    responded_before = django_filters.DateFilter(
        field_name="date_responded", lookup_expr="lte", label="Answered on or before"
    )
    overdue = StrictBooleanFilter(method="filter_overdue", label="Overdue (no answer yet, past its due date)")
    answered_late = StrictBooleanFilter(method="filter_answered_late", label="Answered after its due date")
    modified_after = modified_after_filter()
    ordering = StableOrderingFilter(
        label="Sort by",
        fields=(
            ("date_received", "received"),
            ("date_responded", "responded"),
            ("force__name", "force"),
            ("reference", "reference"),
            ("outcome", "outcome"),
            ("due_date", "due"),
            ("updated_at", "updated"),
        ),
    )

    class Meta:
        model = FoiRequest
        fields = [
            "search",
            "force",
            "nation",
            "outcome",
            "exemption",
            "question_outcome",
            "category_asked",
            "received_after",
            "received_before",
            "responded_after",
            "responded_before",
            "overdue",
            "answered_late",
            "modified_after",
        ]

    # The rules are FoiRequestQuerySet's; "false" is everything else (no due date included).

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.overdue(today) if value else queryset.exclude(queryset.overdue_condition(today))

    def filter_answered_late(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.answered_late() if value else queryset.exclude(queryset.answered_late_condition())


class ExemptionFilter(FilterSet):
    search = search_filter("section", "name")
    act = AnyOfFilter(choices=FoiAct.choices, label="Act")
    ordering = StableOrderingFilter(label="Sort by", fields=(("act", "act"), ("section", "section"), ("name", "name")))

    class Meta:
        model = Exemption
        fields = ["search", "act"]
