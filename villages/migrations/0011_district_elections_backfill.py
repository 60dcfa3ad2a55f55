"""Every 选区 of a 人大 round gets its election, as ``villages.deputy_services.save_district`` now
creates one with each new district."""

from django.db import migrations


def backfill(apps, schema_editor):
    Constituency = apps.get_model("villages", "Constituency")
    Election = apps.get_model("villages", "Election")
    have = set(Election.objects.filter(district__isnull=False).values_list("district_id", flat=True))
    Election.objects.bulk_create(
        Election(
            campaign_id=district.campaign_id,
            district_id=district.pk,
            election_day=district.campaign.default_election_day,
            seats_chair=0,
            seats_vice_chair=0,
            seats_member=district.deputy_seats,
        )
        for district in Constituency.objects.filter(campaign__isnull=False).select_related("campaign")
        if district.pk not in have
    )


class Migration(migrations.Migration):
    dependencies = [("villages", "0010_district_elections")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
