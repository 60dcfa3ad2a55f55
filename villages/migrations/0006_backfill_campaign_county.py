from django.db import migrations


def backfill_campaign_county(apps, schema_editor):
    """Every existing round is a township's village committee round: its county is its township's."""
    Campaign = apps.get_model("villages", "Campaign")
    Township = apps.get_model("villages", "Township")
    for township in Township.objects.filter(campaigns__isnull=False).distinct():
        Campaign.objects.filter(township=township).update(county_id=township.county_id)


class Migration(migrations.Migration):
    """A data migration of its own, so that PostgreSQL has no pending trigger events when 0007 alters
    the column."""

    dependencies = [("villages", "0005_kinds_and_districts")]

    operations = [migrations.RunPython(backfill_campaign_county, migrations.RunPython.noop)]
