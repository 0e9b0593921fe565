from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "register"
    verbose_name = "Register: forces, tools, deployments and assessments"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .caching import invalidate_on_change
        from .search import set_trigram_threshold

        invalidate_on_change(self.get_models())
        connection_created.connect(set_trigram_threshold)
