"""The township dashboard and object history."""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from ..access import (
    NOT_FOUND,
    audit_entries_visible_to,
    campaigns_visible_to,
    elections_visible_to,
    get_township_for,
    history_visible_to,
    townships_visible_to,
)
from ..audit import history_of, object_changes
from ..audit_export import shown_changes
from ..audit_labels import action_label
from ..models import ElectionType
from ..overview import county_progress, election_rows


def dashboard(request):
    townships = list(townships_visible_to(request.user).select_related("county"))
    township = None
    if request.GET.get("township"):
        township = get_township_for(request.user, request.GET["township"])
    elif townships:
        township = townships[0]
    campaign = (
        campaigns_visible_to(request.user).filter(township=township).select_related("preset").first()
        if township
        else None
    )
    elections = (
        elections_visible_to(request.user).filter(campaign=campaign).with_places().order_by("village__code")
        if campaign
        else []
    )
    rows = election_rows(elections, today=timezone.localdate())
    overdue = [(row.election, item) for row in rows for item in row.overdue]
    context = {"townships": townships, "township": township, "campaign": campaign, "rows": rows, "overdue": overdue}
    return render(request, "villages/dashboard.html", context)


def county_dashboard(request):
    """全县进度: every visible township's latest village committee round, its villages by stage and
    every overdue item across them (for county supervisors, and anyone seeing several townships)."""
    townships = list(townships_visible_to(request.user).select_related("county").order_by("code"))
    campaigns = {}
    for campaign in campaigns_visible_to(request.user).filter(
        township__in=townships, election_type=ElectionType.VILLAGE_COMMITTEE
    ).order_by("township", "-term_number"):
        campaigns.setdefault(campaign.township_id, campaign)
    elections = elections_visible_to(request.user).filter(campaign__in=list(campaigns.values())).with_places()
    today = timezone.localdate()
    rows = election_rows(elections.order_by("village__code"), today=today)
    progress, overdue = county_progress(townships, campaigns, rows, today=today)
    return render(request, "villages/county_dashboard.html", {"progress": progress, "overdue": overdue})


def object_history(request, model: str, pk: int):
    """Every audit entry of one object whose village or township is visible; an object with no entries
    yet shows an empty history, never "not found"."""
    app_label, _, model_name = model.partition(".")
    try:
        content_type = ContentType.objects.get(app_label=app_label, model=model_name)
    except ContentType.DoesNotExist:
        raise Http404(NOT_FOUND) from None
    model_class = content_type.model_class()
    obj = model_class._default_manager.filter(pk=pk).first() if model_class else None
    if obj is None or not history_visible_to(request.user, obj):
        raise Http404(NOT_FOUND)
    entries = history_of(obj, audit_entries_visible_to(request.user))
    page = Paginator(entries.select_related("actor"), 50).get_page(request.GET.get("page"))
    related: dict = {}  # the objects foreign keys point to, each read once for the page
    for entry in page.object_list:
        entry.action_label = action_label(entry.action)
        entry.shown_changes = shown_changes(object_changes(entry, obj.pk), model_class, related)
    return render(request, "villages/object_history.html", {"page": page, "object_repr": str(obj)})
