"""Public pages for FOI requests: the authority's answer, never the requester."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, TemplateView

from core.addresses import FormerSlugRedirectMixin
from core.caching import cached
from core.list_views import FacetedListView
from core.parsers import is_ascii_digits, whole_number
from core.previews import DraftPreviewMixin, readable
from register.models import Evidence, Question

from .filters import FoiRequestFilter
from .models import Exemption, FoiRequest
from .statistics import chart_rows, foi_records, totals


def published_requests():
    return FoiRequest.objects.published().select_related("force")


class FoiRequestListView(FacetedListView):
    template_name = "foi_requests/foirequest_list.html"
    context_object_name = "foi_requests"
    filterset_class = FoiRequestFilter
    api_resource = "foi-requests"
    noun_plural = "FOI requests"
    noun_singular = "FOI request"
    input_names = ["received_after", "received_before", "responded_after", "responded_before"]

    def get_base_queryset(self):
        return published_requests().prefetch_related("exemptions")


@dataclass
class PublicQuestion:
    """A question as its request's page shows it: its texts without the requester."""

    question: Question
    text: str
    answer: str

    @classmethod
    def of(cls, question: Question, foi_request: FoiRequest) -> "PublicQuestion":
        # The same redaction as the request's texts: the question as sent, the answer as received.
        return cls(
            question, foi_request.redact(question.text, from_requester=True), foi_request.redact(question.answer)
        )


class FoiRequestDetailView(FormerSlugRedirectMixin, DraftPreviewMixin, DetailView):
    """Found by slug; a numeric id, or a slug it had before, redirects to the slug.
    Staff preview a draft (`core.previews`)."""

    template_name = "foi_requests/foirequest_detail.html"
    context_object_name = "foi_request"
    preview_parts = ("force",)
    former_slug_kwarg = "key"

    def readable_requests(self):
        return readable(self.request, FoiRequest.objects).select_related("force")

    def get_queryset(self):
        return self.readable_requests()

    def get(self, request, *args, **kwargs):
        key = kwargs["key"]
        if is_ascii_digits(key):
            number = whole_number(key)
            if number is None:  # too large for any row's id: not one the database is asked about
                raise Http404("No FOI request has this id.")
            return redirect(get_object_or_404(self.readable_requests(), pk=number), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        exemptions = Prefetch("exemptions", queryset=Exemption.objects.order_by("act", "section"))
        questions = Question.objects.order_by("pk").prefetch_related("categories", "safeguards", exemptions)
        requests = (
            self.readable_requests()
            # The answer's source for its questions only: its text is the answer again.
            .select_related("source")
            .defer("source__text")
            .prefetch_related("exemptions", "categories_asked", Prefetch("source__questions", queryset=questions))
        )
        return get_object_or_404(requests, slug=self.kwargs["key"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deadline_status"] = self.object.deadline_status()
        context["questions"] = [
            PublicQuestion.of(question, self.object) for question in self.object.source.questions.all()
        ]
        context["evidence"] = (
            Evidence.objects.published()
            .filter(source=self.object.source_id)
            .select_related(
                "tool",
                "supplier",
                "deployment__tool",
                "deployment__force",
                "assessment__deployment__tool",
                "assessment__deployment__force",
            )
        )
        return context


class FoiStatisticsView(TemplateView):
    """Every force's FOI record, as a chart and the same figures as a table."""

    template_name = "foi_requests/statistics.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = cached("foi-records", "all", lambda: foi_records(FoiRequest.objects.published()))
        context.update(records=records, total=totals(records), chart=chart_rows(records))
        return context
