from django.apps import AppConfig


class FoiRequestsConfig(AppConfig):
    name = "foi_requests"
    verbose_name = "FOI requests"

    def ready(self):
        from core.caching import invalidate_on_change

        invalidate_on_change(self.get_models())
