from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = "候选人提名"

    def ready(self):
        from villages import stages

        from . import proxy_checks
        from .requirements import nomination_requirements

        stages.register_requirements(nomination_requirements)
        proxy_checks.register()
