from django.apps import AppConfig


class CorrectionsConfig(AppConfig):
    """Corrections sent by the public, queued for the editors. It names records of both
    the register and the FOI requests, so it sits above them; only the site-wide pages
    (and the configuration) may import it."""

    name = "corrections"
    verbose_name = "Corrections from the public"
