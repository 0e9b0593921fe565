from django.apps import AppConfig


class FoiRequestsConfig(AppConfig):
    name = "foi_requests"
    verbose_name = "FOI requests and evidence"
