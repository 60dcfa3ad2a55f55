from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "ballots"
    verbose_name = "投票计票"

    def ready(self):
        from villages import stages

        from .requirements import ballots_requirements

        stages.register_requirements(ballots_requirements)
