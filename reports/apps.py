from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "统计报表"

    def ready(self):
        from villages import extensions

        from . import aggregates

        extensions.register_election_write(aggregates.election_written)
