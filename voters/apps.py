from django.apps import AppConfig


class VotersConfig(AppConfig):
    name = "voters"
    verbose_name = "选民登记"

    def ready(self):
        from villages import extensions, stages

        from .queries import appeal_facts_for
        from .requirements import register_requirements
        from .services.party import party_register_facts

        stages.register_requirements(register_requirements)
        extensions.register_calendar_facts(appeal_facts_for)
        extensions.register_party_register(party_register_facts)
