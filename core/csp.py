"""The few inline attributes the Content Security Policy allows, by hash.

The register's own templates have no inline script or style. Some third-party
admin templates (django-import-export's export form, the DRF browsable API,
django-simple-history's history list) carry a handful of fixed `style=` and
`on…=` attribute values. CSP level 3 allows exactly those values with
'unsafe-hashes' and their SHA-256 hashes, without allowing inline code in general.
"""

import base64
import hashlib
from collections.abc import Iterable

INLINE_SCRIPT_ATTRIBUTES = (
    # import_export/templates/admin/import_export/export.html: "select all" fields toggle.
    "onSelectToggleChange(event)",
)

INLINE_STYLE_ATTRIBUTES = (
    # import_export export.html
    "padding: 0;",
    "font-weight: bold;",
    # rest_framework: base.html (format and filter buttons), filters, forms, login page.
    "float: right; margin-right: 10px",
    "float: right",
    "width: 350px",
    "border-bottom: 0",
    "border-bottom: 1px solid #e5e5e5",
    "border: none",
    "margin-top: 30px",
    "margin: 0 0 20px;",
    "width: 320px; margin-left: auto; margin-right: auto",
    # simple_history/object_history_list.html: the paginator.
    "border-top: 0",
)


def inline_hashes(values: Iterable[str]) -> list[str]:
    """CSP source expressions ('sha256-…') for exact inline attribute values."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(v.encode()).digest()).decode()}'" for v in values]


def inline_styles_policy() -> dict:
    """The site's policy, with inline styles allowed (scripts stay strict): only
    for API documentation pages whose bundled JavaScript (Swagger UI) writes
    style attributes at run time. Use per view:

        csp_override(inline_styles_policy())(SpectacularSwaggerSplitView.as_view(url_name="schema"))
    """
    from django.conf import settings
    from django.utils.csp import CSP

    # A nonce or hash in style-src would make browsers ignore 'unsafe-inline'.
    return {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}
