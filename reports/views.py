"""Rosters of last term's committee and of the Party branch, which the reports compare against."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from villages.access import get_child_or_404, get_village_for, setup_required, villages_visible_to
from villages.formtools import attach_errors

from . import services
from .forms import RosterImportForm
from .models import Roster


def roster_list(request):
    rosters = (
        Roster.objects.filter(village__in=villages_visible_to(request.user))
        .select_related("village", "imported_by")
        .order_by("village__code", "kind", "-term_number")
    )
    return render(request, "reports/roster_list.html", {"rosters": rosters})


@setup_required
def roster_import(request):
    form = RosterImportForm(request.POST or None, request.FILES or None, user=request.user)
    problems = []
    if form.is_valid():
        data = form.cleaned_data
        village = get_village_for(request.user, data["village"].pk, setup=True)
        try:
            roster = services.import_roster(
                by=request.user, village=village, kind=data["kind"], term_number=data["term_number"],
                source=data["file"], filename=data["file"].name, today=timezone.localdate(),
            )
        except services.RosterProblems as exc:
            problems = exc.rows
            form.add_error(None, exc)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"已导入{roster}，共{roster.members.count()}人。")
            return redirect("reports:roster-detail", pk=roster.pk)
    return render(request, "reports/roster_import.html", {"form": form, "problems": problems})


def roster_detail(request, pk: int):
    roster = get_child_or_404(
        Roster.objects.filter(village__in=villages_visible_to(request.user)).select_related("village"), pk
    )
    return render(request, "reports/roster_detail.html", {"roster": roster, "members": roster.members.all()})
