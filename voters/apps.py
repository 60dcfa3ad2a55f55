from django.apps import AppConfig


class VotersConfig(AppConfig):
    name = "voters"
    verbose_name = "选民登记"

    def ready(self):
        from villages import stages

        from .requirements import register_requirements

        stages.register_requirements(register_requirements)
