"""The seat decision of a 人大 round (Election Law Arts. 12–13): the figure adopted, with its document."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from .elections import Campaign


class SeatDecision(models.Model):
    """代表名额决定: the total number of deputies of a round, as decided by the standing committee
    (provincial for a county congress, county for a township congress, Art. 13), with its document
    number (文号) and date. The legal ceiling of Art. 12 is computed beside it
    (``villages.kinds.deputy_seats``) from the population recorded here."""

    campaign = models.OneToOneField(
        Campaign, verbose_name="人大换届选举", on_delete=models.CASCADE, related_name="seat_decision"
    )
    population = models.PositiveIntegerField("人口数", help_text="确定代表名额所依据的人口数")
    population_source = models.CharField("人口数依据", max_length=60, blank=True, help_text="例如：2025年末户籍人口统计")
    extra_five_percent = models.BooleanField("经省级人大常委会决定另加5%", default=False)
    adopted_seats = models.PositiveIntegerField("决定的代表总名额", validators=[MinValueValidator(1)])
    decided_by = models.CharField("决定机关", max_length=60)
    document_number = models.CharField("文号", max_length=60)
    decided_on = models.DateField("决定日期")
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "代表名额决定"
        verbose_name_plural = "代表名额决定"
        constraints = [models.CheckConstraint(condition=Q(adopted_seats__gte=1), name="seat_decision_has_seats")]

    def __str__(self):
        return f"{self.campaign}：代表名额{self.adopted_seats}名（{self.document_number}）"

    def audit_scope(self):
        return self.campaign.audit_scope()
