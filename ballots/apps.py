from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "ballots"
    verbose_name = "投票计票"

    def ready(self):
        from villages import extensions, stages

        from . import extensions as ballots_extensions
        from .requirements import ballots_requirements

        stages.register_requirements(ballots_requirements)
        extensions.register_election_status(ballots_extensions.election_statuses)
        extensions.register_calendar_facts(ballots_extensions.calendar_facts)
        extensions.register_village_panel(ballots_extensions.announced_results_panel)
