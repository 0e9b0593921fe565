"""Public change log and its Atom feed; the admin's deleted-records view."""

from django.contrib import admin, messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.generic import TemplateView

from .changes import public_changes
from .deleted import deleted_records, restore_deleted


class ChangeLogView(TemplateView):
    template_name = "editorial/changes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["changes"] = public_changes()
        return context


class ChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "Police algorithmic tools register: changes"
    subtitle = "Records published or updated in the register, newest first."

    def link(self):
        return reverse("changes")

    def items(self):
        return public_changes()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        if item.fields:
            return f"Changed: {', '.join(item.fields)}."
        return f"{item.record_type.capitalize()} published in the register."

    def item_link(self, item):
        return item.url or f"{reverse('changes')}#{item.key}"

    def item_guid(self, item):
        return f"{reverse('changes')}#{item.key}"

    item_guid_is_permalink = False

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        for item in feed.items:  # Atom ids must be absolute IRIs
            item["unique_id"] = request.build_absolute_uri(item["unique_id"])
        return feed

    def item_pubdate(self, item):
        return item.when

    def item_updateddate(self, item):
        return item.when


def deleted_records_view(request: HttpRequest) -> HttpResponse:
    """Admin: records deleted from the register, and restoring one."""
    records = [entry for entry in deleted_records() if request.user.has_perm(entry.add_permission)]
    if request.method == "POST":
        key = request.POST.get("restore", "")
        entry = next((entry for entry in records if entry.key == key), None)
        if entry is None:
            raise PermissionDenied
        try:
            with transaction.atomic():
                restored = restore_deleted(entry, request.user)
        except (IntegrityError, ValueError) as exc:
            messages.error(request, f"{entry.label} could not be restored: {exc}")
        else:
            also = f", with {len(restored) - 1} records deleted with it" if len(restored) > 1 else ""
            messages.success(request, f"{entry.record_type.capitalize()} “{restored[0]}” restored{also}.")
        return HttpResponseRedirect(reverse("admin-deleted-records"))
    context = {
        **admin.site.each_context(request),
        "title": "Deleted records",
        "records": records,
    }
    return render(request, "admin/editorial/deleted_records.html", context)
