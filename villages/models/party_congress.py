"""A township Party congress's 选举单位 (LAW.md §4.5): one village Party organisation, or several small ones
together, whose members' meeting (党员大会) elects the unit's share of the congress's delegates. Each unit is one
``Election`` of the congress round (``Election.party_unit``); its register (党员名册, ``voters``) holds the full
and probationary members of its organisations, and the delegates allocated to it are the election's
``seats_member`` (``villages.party_congress``)."""

from django.db import models

from .elections import Campaign
from .places import PartyOrganisation


class PartyElectoralUnit(models.Model):
    campaign = models.ForeignKey(Campaign, verbose_name="党代表大会代表选举", on_delete=models.PROTECT,
                                 related_name="party_units")
    number = models.PositiveSmallIntegerField("序号")
    name = models.CharField("选举单位名称", max_length=60)
    organisations = models.ManyToManyField(PartyOrganisation, verbose_name="所含党组织", related_name="electoral_units")
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "党代表大会选举单位"
        verbose_name_plural = "党代表大会选举单位"
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="party_unit_unique_number",
                                    violation_error_message="本次选举已有该序号的选举单位。"),
            models.UniqueConstraint(fields=["campaign", "name"], name="party_unit_unique_name",
                                    violation_error_message="本次选举已有同名的选举单位。"),
        ]

    def __str__(self):
        return self.name

    def audit_scope(self):
        return self.campaign.township_id, None
