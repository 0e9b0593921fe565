from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "register"
    verbose_name = "Register: forces, tools, deployments, assessments and their evidence"

    def ready(self):
        from core.caching import invalidate_on_change

        invalidate_on_change(self.get_models())
