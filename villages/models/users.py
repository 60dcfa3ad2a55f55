"""Users and their roles. Roles are explicit data (STYLE.md §20), not Django permission tables."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from .places import County, Township, Village


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    CLERK = "clerk", "乡镇选举办工作人员"
    LIAISON = "liaison", "村联络员"
    SUPERVISOR = "supervisor", "督导"
    COUNTY_OFFICE = "county_office", "县选举办工作人员"


class User(AbstractUser):
    """A person who signs in. Office staff and liaison officers belong to a township; a supervisor
    reads a township, or a whole county when ``county`` is set. 县选举办工作人员 belong to a county:
    they run its 人大 rounds and read everything else of the county like a county supervisor."""

    display_name = models.CharField("姓名", max_length=30, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.CLERK)
    township = models.ForeignKey(
        Township, verbose_name="所属乡镇", on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    county = models.ForeignKey(
        County,
        verbose_name="督导范围（县）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervisors",
        help_text="督导填写后可查看全县；县选举办工作人员必须填写",
    )
    villages = models.ManyToManyField(
        Village, verbose_name="负责的村", through="VillageAssignment", blank=True, related_name="liaisons"
    )
    phone = models.CharField("联系电话", max_length=20, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(township__isnull=False) | Q(county__isnull=False),
                name="user_has_scope_unless_admin",
            ),
            models.CheckConstraint(
                condition=~Q(role="county_office") | Q(county__isnull=False),
                name="county_office_has_county",
                violation_error_message="县选举办工作人员必须属于一个县（区）。",
            ),
        ]

    def __str__(self):
        return self.display_name or self.username

    @property
    def is_read_only(self) -> bool:
        """Read-only for village committee records (县选举办工作人员 write only 人大 rounds)."""
        return self.role in (Role.SUPERVISOR, Role.COUNTY_OFFICE)

    @property
    def is_office_staff(self) -> bool:
        return self.role == Role.CLERK

    @property
    def is_liaison(self) -> bool:
        return self.role == Role.LIAISON

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN

    def audit_scope(self):
        return self.township_id, None


class VillageAssignment(models.Model):
    """A liaison officer's village (包村)."""

    user = models.ForeignKey(User, verbose_name="联络员", on_delete=models.CASCADE, related_name="assignments")
    village = models.ForeignKey(Village, verbose_name="村", on_delete=models.CASCADE, related_name="assignments")

    class Meta:
        verbose_name = "包村分工"
        verbose_name_plural = "包村分工"
        constraints = [models.UniqueConstraint(fields=["user", "village"], name="assignment_unique")]

    def __str__(self):
        return f"{self.user} → {self.village}"
