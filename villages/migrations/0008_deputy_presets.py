from django.db import migrations


def create_presets(apps, schema_editor):
    """The built-in presets of the 人大 deputies' kind (villages.kinds.deputies), like 0002 for the
    village committee presets."""
    from villages.kinds.deputies import CODE, PRESETS

    RulePreset = apps.get_model("villages", "RulePreset")
    for definition in PRESETS:
        RulePreset.objects.update_or_create(
            code=definition.code,
            defaults={
                "name": definition.name,
                "province": definition.province,
                "election_type": CODE,
                "params": definition.overrides,
                "sources": list(definition.sources),
                "is_builtin": True,
            },
        )


def remove_presets(apps, schema_editor):
    from villages.kinds.deputies import PRESETS

    apps.get_model("villages", "RulePreset").objects.filter(code__in=[p.code for p in PRESETS], campaigns__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("villages", "0007_campaign_county_required")]

    operations = [migrations.RunPython(create_presets, remove_presets)]
