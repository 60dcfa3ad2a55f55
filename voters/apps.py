from django.apps import AppConfig


class VotersConfig(AppConfig):
    name = "voters"
    verbose_name = "选民登记"

    def ready(self):
        from villages import extensions, stages
        from villages.audit_labels import register_code_list

        from . import codes
        from .queries import appeal_facts_for
        from .requirements import register_requirements
        from .services.party import party_register_facts

        stages.register_requirements(register_requirements)
        extensions.register_calendar_facts(appeal_facts_for)
        extensions.register_party_register(party_register_facts)
        # The audit log shows these as words (education is not among them: its code list depends on
        # the edition, which a change of the code alone does not say).
        register_code_list("voters.voter", "ethnicity", {**codes.ETHNIC_GROUPS, **codes.ETHNIC_GROUPS_LOCAL})
        register_code_list("voters.voter", "political_status",
                           {code: status.short for code, status in codes.POLITICAL_STATUS.items()})
