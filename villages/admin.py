"""Django's admin, for the 系统管理员: a read-only view of the data, except the rule presets.

Every change of election data goes through the pages and their services, which check the access
rules and the certification lock and write the audit log (README "Admin"). The admin therefore only
shows records: no add, change or delete, for users and places as well (they have audited pages of
their own, ``villages:user-edit``, ``villages:township-edit``…). The one exception is the rule
presets, which have no edit page: a custom preset is added or changed here through
``villages.services.save_preset``, audited like any other change. Built-in presets stay read-only
(``ensure_builtin_presets`` refreshes them), and no preset is deleted here. The sign-in lockouts of
django-axes may be deleted (that lifts a lockout before its 30 minutes), and each deletion is logged.
"""

from axes.admin import AccessAttemptAdmin as BaseAccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from . import services
from .audit import log_action
from .models import (
    AuditEntry,
    Campaign,
    CommitteeMember,
    Constituency,
    County,
    DistrictUnit,
    Election,
    PartyOrganisation,
    RulePreset,
    SeatDecision,
    Township,
    User,
    Village,
    VillageAssignment,
    VillagerGroup,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows records and changes none: writes go through the audited services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin, BaseUserAdmin):
    list_display = ["username", "display_name", "role", "township", "county", "is_active"]
    list_filter = ["role", "township"]
    fieldsets = BaseUserAdmin.fieldsets + (("选举系统", {"fields": ["display_name", "role", "township", "county", "phone"]}),)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_name", "action", "object_repr"]
    list_filter = ["action"]

    def get_queryset(self, request):
        # The list shows no changes: an import's entry for 2,000 new voters holds half a megabyte of them.
        entries = super().get_queryset(request)
        match = request.resolver_match
        return entries.defer("changes") if match and match.url_name.endswith("_changelist") else entries


@admin.register(RulePreset)
class RulePresetAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "province", "is_builtin"]
    fields = ["code", "name", "province", "election_type", "params", "sources", "is_builtin"]
    readonly_fields = ["is_builtin"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or not obj.is_builtin)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.save_preset(by=request.user, preset=obj)


# Django's permission groups only grant admin rights, and the admin changes nothing: not shown.
admin.site.unregister(Group)

for model in (County, Township, Village, VillagerGroup, Constituency, DistrictUnit, Campaign, SeatDecision, Election,
              CommitteeMember, VillageAssignment, PartyOrganisation):
    admin.site.register(model, ReadOnlyAdmin)


class AccessAttemptAdmin(BaseAccessAttemptAdmin):
    """django-axes' failed sign-ins: deleting one lifts the lockout early, and is logged (``auth.lockout_cleared``)."""

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        self.delete_queryset(request, AccessAttempt.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        for attempt in queryset:
            log_action(by=request.user, action="auth.lockout_cleared",
                       changes={"username": [attempt.username, None], "ip": [attempt.ip_address, None],
                                "failures": [attempt.failures_since_start, None]})
        queryset.delete()


if admin.site.is_registered(AccessAttempt):  # AXES_ENABLE_ADMIN
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        admin.site.unregister(model)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
    admin.site.register(AccessLog, ReadOnlyAdmin)
    admin.site.register(AccessFailureLog, ReadOnlyAdmin)
