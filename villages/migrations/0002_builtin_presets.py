from django.db import migrations


def create_presets(apps, schema_editor):
    from villages.presets import BUILTIN_PRESETS

    RulePreset = apps.get_model("villages", "RulePreset")
    for definition in BUILTIN_PRESETS:
        RulePreset.objects.update_or_create(
            code=definition.code,
            defaults={
                "name": definition.name,
                "province": definition.province,
                "params": definition.overrides,
                "sources": list(definition.sources),
                "is_builtin": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("villages", "0001_initial")]

    operations = [migrations.RunPython(create_presets, migrations.RunPython.noop)]
