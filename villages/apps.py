from django.apps import AppConfig


class VillagesConfig(AppConfig):
    name = "villages"
    verbose_name = "村庄与选举设置"

    def ready(self):
        from . import checks, signals, stages  # noqa: F401 (signals registers receivers)
        from .requirements import setup_requirements

        stages.register_requirements(setup_requirements)
        checks.register_all()
