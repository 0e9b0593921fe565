"""The correction form (/corrections/new/), the page after sending, and the page a
client sees once it has sent as many as an hour allows."""

from axes.helpers import get_client_ip_address
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from . import guards
from .forms import CorrectionForm
from .records import find_record, label, reference


def client_address(request) -> str:
    """The client's address as the login lockout reads it (behind a trusted proxy, the one it saw)."""
    return get_client_ip_address(request) or "unknown"


# Never cached: each form carries its own CSRF token and the time it was opened.
@method_decorator(never_cache, name="dispatch")
class CorrectionCreateView(FormView):
    """Anyone, without an account, tells the editors what is wrong or missing. Saved for
    the editors' queue only: nothing of it is published, and the register changes only
    when an editor edits the record."""

    template_name = "corrections/correction_form.html"
    form_class = CorrectionForm

    def get_initial(self):
        initial = super().get_initial()
        if record := find_record(self.request.GET.get("record", "")):
            initial["record"] = reference(record)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        named = form.data.get("record", "") if form.is_bound else form.initial.get("record", "")
        record = find_record(named) if named else None
        context["record"] = record
        context["record_label"] = label(record) if record else ""
        # A browser cannot keep a chosen file once the form comes back with an error.
        context["attachment_dropped"] = form.is_bound and bool(self.request.FILES) and bool(form.errors)
        return context

    def post(self, request, *args, **kwargs):
        client = client_address(request)
        if guards.sends_left(client) == 0:
            response = render(request, "corrections/rate_limited.html", {"limit": guards.SENDS_PER_HOUR}, status=429)
            response["Retry-After"] = str(guards.seconds_until_next_window())
            return response
        form = self.get_form()
        if form.is_valid():
            correction = form.correction()
            try:
                with transaction.atomic():
                    correction.save()
            except Exception:
                if correction.attachment:
                    correction.attachment.delete(save=False)  # no file left without its correction
                raise
            guards.count_send(client)
            return redirect("corrections:thanks", permanent=False)
        if form.is_spam:
            guards.count_send(client)
        if form.is_expired:
            form.data = form.data.copy()
            form.data["opened"] = guards.opened_token()
        return self.render_to_response(self.get_context_data(form=form))


class CorrectionThanksView(TemplateView):
    template_name = "corrections/thanks.html"
