"""/sitemap.xml: the register's pages for search engines. Records come from `published()`
as on every public page, so a draft is never listed; each record's date is when it last changed."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from foi_requests.models import FoiRequest
from register.models import Deployment, Force, Source, SourceKind, Supplier, Tool

# The pages that are not records, by URL name.
STATIC_PAGES = [
    "home",
    "register:deployment-list",
    "register:tool-list",
    "register:force-list",
    "register:supplier-list",
    "foi_requests:list",
    "foi_requests:statistics",
    "transparency",
    "figures",
    "changes",
    "about",
    "method",
    "accessibility",
    "privacy",
]


class StaticPagesSitemap(Sitemap):
    def items(self):
        return STATIC_PAGES

    def location(self, item):
        return reverse(item)


class RecordSitemap(Sitemap):
    """Published records of one model, oldest first so that pages of the sitemap stay stable."""

    model = None

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, record):
        return record.updated_at


class ForceSitemap(RecordSitemap):
    model = Force


class SupplierSitemap(RecordSitemap):
    model = Supplier


class ToolSitemap(RecordSitemap):
    model = Tool


class DeploymentSitemap(RecordSitemap):
    model = Deployment

    def items(self):
        return super().items().select_related("force", "tool").only("pk", "updated_at", "force__slug", "tool__slug")


class FoiRequestSitemap(RecordSitemap):
    model = FoiRequest


class SourceSitemap(RecordSitemap):
    """Published documents: an FOI answer is read on its request's page, listed already."""

    model = Source

    def items(self):
        return super().items().filter(kind=SourceKind.DOCUMENT)

    def location(self, source):
        return reverse("register:source-detail", args=[source.pk])


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "forces": ForceSitemap,
    "suppliers": SupplierSitemap,
    "tools": ToolSitemap,
    "deployments": DeploymentSitemap,
    "foi-requests": FoiRequestSitemap,
    "sources": SourceSitemap,
}
