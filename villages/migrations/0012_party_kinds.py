from django.db import migrations, models


def create_presets(apps, schema_editor):
    """The built-in presets of the two Party kinds (villages.kinds.party_branch and party_congress), like
    0008 for the 人大 presets."""
    from villages.kinds.party_branch import PARTY_BRANCH
    from villages.kinds.party_congress import PARTY_CONGRESS

    RulePreset = apps.get_model("villages", "RulePreset")
    for kind in (PARTY_BRANCH, PARTY_CONGRESS):
        for definition in kind.presets:
            RulePreset.objects.update_or_create(
                code=definition.code,
                defaults={
                    "name": definition.name,
                    "province": definition.province,
                    "election_type": kind.code,
                    "params": definition.overrides,
                    "sources": list(definition.sources),
                    "is_builtin": True,
                },
            )


def remove_presets(apps, schema_editor):
    from villages.kinds.party_branch import PRESETS as BRANCH
    from villages.kinds.party_congress import PRESETS as CONGRESS

    codes = [p.code for p in (*BRANCH, *CONGRESS)]
    apps.get_model("villages", "RulePreset").objects.filter(code__in=codes, campaigns__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("villages", "0011_district_elections_backfill")]

    operations = [
        migrations.RemoveConstraint(
            model_name="campaign",
            name="campaign_kind_has_level",
        ),
        migrations.AlterField(
            model_name="campaign",
            name="election_type",
            field=models.CharField(
                choices=[
                    ("village_committee", "村民委员会选举"),
                    ("deputies", "人民代表大会代表选举"),
                    ("party_branch", "村党组织换届选举"),
                    ("party_congress", "乡镇党代表大会代表选举"),
                ],
                default="village_committee",
                max_length=30,
                verbose_name="选举类型",
            ),
        ),
        migrations.AddConstraint(
            model_name="campaign",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("pk__in", []),
                    models.Q(("election_type", "village_committee"), ("level", "township")),
                    models.Q(("election_type", "deputies"), ("level", "county")),
                    models.Q(("election_type", "deputies"), ("level", "township")),
                    models.Q(("election_type", "party_branch"), ("level", "township")),
                    models.Q(("election_type", "party_congress"), ("level", "township")),
                    _connector="OR",
                ),
                name="campaign_kind_has_level",
                violation_error_message="该类选举没有这一层级。",
            ),
        ),
        migrations.RunPython(create_presets, remove_presets),
    ]
