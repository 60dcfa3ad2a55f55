"""Admin for the system administrator: read-only. Every change goes through the pages and their
services, which check eligibility and the certification lock, write the audit log and keep the list's
history (villages/admin.py)."""

from django.contrib import admin

from villages.admin import ReadOnlyAdmin

from .models import AmendmentBatch, AmendmentItem, Appeal, AttendanceExcusal, ImportJob, Proxy, Publication, Voter


@admin.register(Voter)
class VoterAdmin(ReadOnlyAdmin):
    list_display = ["name", "masked_id_number", "election", "group", "category", "status", "listed_from", "listed_until"]
    list_filter = ["status", "category", "away"]
    search_fields = ["name"]
    list_select_related = ["election__village", "election__campaign", "group"]
    readonly_fields = ["campaign", "election", "listed_from", "listed_until", "version"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["election", "published_on", "registered_count", "published_by"]
    readonly_fields = ["election", "published_on", "registered_count", "published_by"]


class AmendmentItemInline(admin.TabularInline):
    model = AmendmentItem
    extra = 0
    fields = ["voter", "change", "reason_code", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AmendmentBatch)
class AmendmentBatchAdmin(ReadOnlyAdmin):
    list_display = ["election", "number", "effective_on", "reason", "published_on"]
    inlines = [AmendmentItemInline]
    readonly_fields = ["election", "number", "effective_on", "created_by"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["election", "filer_name", "kind", "received_on", "decision", "decided_on"]
    list_filter = ["kind", "decision"]
    readonly_fields = ["election", "voter", "batch", "version"]


@admin.register(Proxy)
class ProxyAdmin(ReadOnlyAdmin):
    list_display = ["election", "principal", "holder", "relation", "authorized_on", "status", "published_on"]
    list_filter = ["status"]
    readonly_fields = ["election", "principal", "holder"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["election", "filename", "state", "rows_total", "created_at"]
    list_filter = ["state"]
    readonly_fields = ["election", "uploaded_by", "source", "state", "counts", "issues"]


@admin.register(AttendanceExcusal)
class AttendanceExcusalAdmin(ReadOnlyAdmin):
    list_display = ["election", "member", "category", "upper_consent_on", "meeting_on", "withdrawn_at"]
    list_filter = ["category"]
    readonly_fields = ["election", "member", "recorded_by"]
