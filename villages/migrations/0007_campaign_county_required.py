import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("villages", "0006_backfill_campaign_county")]

    operations = [
        migrations.AlterField(
            model_name="campaign",
            name="county",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="campaigns", to="villages.county", verbose_name="县（区）"
            ),
        ),
    ]
