from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import (
    AuditEntry,
    Campaign,
    CommitteeMember,
    Constituency,
    County,
    DistrictUnit,
    Election,
    RulePreset,
    SeatDecision,
    Township,
    User,
    Village,
    VillageAssignment,
    VillagerGroup,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "township", "county", "is_active"]
    list_filter = ["role", "township"]
    fieldsets = BaseUserAdmin.fieldsets + (("选举系统", {"fields": ["display_name", "role", "township", "county", "phone"]}),)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_name", "action", "object_repr"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (
    County, Township, Village, VillagerGroup, Constituency, DistrictUnit, RulePreset, Campaign, SeatDecision, Election,
    CommitteeMember, VillageAssignment,
):
    admin.site.register(model)
