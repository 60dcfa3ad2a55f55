"""Townships, villages and villager groups (选区 are in ``villages.views.deputies``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from .. import services
from ..access import (
    admin_required,
    check_groups_unlocked,
    get_child_or_404,
    get_township_for,
    get_village_for,
    setup_required,
    townships_visible_to,
    villages_visible_to,
)
from ..extensions import village_panels
from ..formtools import attach_errors
from ..forms import CountyForm, TownshipForm, VillageForm, VillagerGroupForm
from ..models import VillagerGroup

PAGE_SIZE = 25


def township_list(request):
    townships = townships_visible_to(request.user).select_related("county").search(request.GET.get("q", "").strip())
    page = Paginator(townships, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "villages/township_list.html", {"page": page, "q": request.GET.get("q", "")})


@admin_required
def county_create(request):
    form = CountyForm(request.POST or None)
    if form.is_valid():
        county = services.save_county(by=request.user, county=form.save(commit=False))
        messages.success(request, f"已添加县（区）：{county.name}")
        return redirect("villages:township-create")
    return render(request, "villages/form_page.html", {"form": form, "title": "添加县（区）"})


@admin_required
def township_create(request):
    form = TownshipForm(request.POST or None)
    if form.is_valid():
        try:
            township = services.save_township(by=request.user, township=form.instance)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"已添加乡镇：{township.name}")
            return redirect("villages:township-list")
    return render(request, "villages/form_page.html", {"form": form, "title": "添加乡镇"})


@admin_required
def township_edit(request, pk: int):
    township = get_township_for(request.user, pk, write=True)
    form = TownshipForm(request.POST or None, instance=township)
    if form.is_valid():
        try:
            services.save_township(by=request.user, township=form.instance, expected_version=form.cleaned_data["version"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "乡镇信息已保存。")
            return redirect("villages:township-list")
    return render(request, "villages/form_page.html", {"form": form, "title": f"修改乡镇：{township.name}"})


def village_list(request):
    villages = (
        villages_visible_to(request.user)
        .select_related("township")
        .with_group_count()
        .search(request.GET.get("q", "").strip())
        .order_by("township__code", "code")
    )
    page = Paginator(villages, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "villages/village_list.html", {"page": page, "q": request.GET.get("q", "")})


@setup_required
def village_create(request):
    form = VillageForm(request.POST or None, user=request.user)
    if form.is_valid():
        try:
            village = services.save_village(by=request.user, village=form.instance)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"已添加行政村：{village.name}")
            return redirect("villages:village-detail", pk=village.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": "添加行政村"})


def village_detail(request, pk: int):
    village = get_village_for(request.user, pk)
    groups = village.groups.all()
    elections = village.elections.select_related("campaign").order_by("-campaign__term_number")
    panels = village_panels(village, request.user)
    context = {"village": village, "groups": groups, "elections": elections, "panels": panels}
    return render(request, "villages/village_detail.html", context)


def village_edit(request, pk: int):
    village = get_village_for(request.user, pk, setup=True)
    form = VillageForm(request.POST or None, instance=village, user=request.user)
    if form.is_valid():
        try:
            services.save_village(by=request.user, village=form.instance, expected_version=form.cleaned_data["version"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "行政村信息已保存。")
            return redirect("villages:village-detail", pk=village.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": f"修改行政村：{village.name}"})


def group_create(request, pk: int):
    village = get_village_for(request.user, pk, setup=True)
    check_groups_unlocked(village)
    form = VillagerGroupForm(request.POST or None, instance=VillagerGroup(village=village))
    return _save_group(request, form, village, "添加村民小组")


def group_edit(request, pk: int, group_pk: int):
    village = get_village_for(request.user, pk, setup=True)
    check_groups_unlocked(village)
    group = get_child_or_404(village.groups.all(), group_pk)
    form = VillagerGroupForm(request.POST or None, instance=group)
    return _save_group(request, form, village, f"修改村民小组：{group.name}")


def _save_group(request, form, village, title):
    if form.is_valid():
        try:
            services.save_villager_group(by=request.user, group=form.instance)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "村民小组已保存。")
            return redirect("villages:village-detail", pk=village.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": f"{village.name}：{title}"})
