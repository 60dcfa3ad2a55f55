"""Election.kind_code: the round's kind copied onto each election, so that the database's seat constraints are
kind-aware — a village committee keeps 3 to 7 members (OL §6), a village Party organisation has a 书记 and at
most one 副书记, 7 in all at most (a branch below 7 full members: a 书记 only). Existing elections take their
round's kind in one UPDATE before the constraints are added."""

import django.db.models.expressions
from django.db import migrations, models


def copy_kind_from_round(apps, schema_editor):
    Campaign, Election = apps.get_model("villages", "Campaign"), apps.get_model("villages", "Election")
    kind = Campaign.objects.filter(pk=models.OuterRef("campaign_id")).values("election_type")[:1]
    Election.objects.update(kind_code=models.Subquery(kind))


class Migration(migrations.Migration):

    dependencies = [
        ('villages', '0014_drop_covered_indexes'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='election',
            name='election_committee_3_to_7',
        ),
        migrations.AddField(
            model_name='election',
            name='kind_code',
            field=models.CharField(choices=[('village_committee', '村民委员会选举'), ('deputies', '人民代表大会代表选举'), ('party_branch', '村党组织换届选举'), ('party_congress', '乡镇党代表大会代表选举')], default='village_committee', editable=False, max_length=30, verbose_name='选举类型'),
            preserve_default=False,
        ),
        migrations.RunPython(copy_kind_from_round, migrations.RunPython.noop),
        migrations.AddField(
            model_name='election',
            name='plan_approved_on',
            field=models.DateField(blank=True, null=True, verbose_name='乡镇党委批复日期'),
        ),
        migrations.AddField(
            model_name='election',
            name='plan_approval_ref',
            field=models.CharField(blank=True, max_length=60, verbose_name='批复文号'),
        ),
        migrations.AddConstraint(
            model_name='election',
            constraint=models.CheckConstraint(condition=models.Q(('kind_code__in', ['village_committee', 'deputies', 'party_branch', 'party_congress'])), name='election_kind_code_known', violation_error_message='选举类型无效。'),
        ),
        migrations.AddConstraint(
            model_name='election',
            constraint=models.CheckConstraint(condition=models.Q(('village__isnull', True), ('kind_code', 'party_branch'), models.Q(('seats_member__gte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.Value(3), '-', models.F('seats_chair')), '-', models.F('seats_vice_chair'))), ('seats_member__lte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.Value(7), '-', models.F('seats_chair')), '-', models.F('seats_vice_chair')))), _connector='OR'), name='election_committee_3_to_7', violation_error_message='村委会成员职数合计必须在3至7人之间（村民委员会组织法第六条）。'),
        ),
        migrations.AddConstraint(
            model_name='election',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind_code', 'party_branch'), _negated=True), models.Q(('village__isnull', False), ('seats_chair', 1), ('seats_member__lte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.Value(7), '-', models.F('seats_chair')), '-', models.F('seats_vice_chair'))), ('seats_vice_chair__lte', 2)), _connector='OR'), name='election_party_branch_posts', violation_error_message='村党组织设书记1名、副书记至多2名，委员合计不超过7名（《中国共产党支部工作条例（试行）》，党总支、村党委可设副书记2名）。'),
        ),
    ]
