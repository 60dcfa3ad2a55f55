from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "归档"

    def ready(self):
        from villages import stages

        from .requirements import archive_requirements

        stages.register_requirements(archive_requirements)
