"""The register: voter list, entering and editing voters, publication, amendments and 四增四减.

Roles: everyone who sees a village reads its register; office staff and the village's liaison
officer enter and change voters (including post-publication changes, each an audited, numbered
amendment batch); publishing the list is an act of the 村民选举委员会 recorded by office staff.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from villages.access import can_see_full_id, can_write_election, get_child_or_404, get_election_for
from villages.formtools import attach_errors
from villages.audit import history_of

from .. import eligibility, queries
from ..forms import AmendmentForm, ChangeReasonForm, DateForm, VoterFilterForm, VoterForm
from ..idnumber import shown_id_number
from ..imports import is_party_register
from ..models import AmendmentBatch, AmendmentItem, Publication, Voter
from ..registrations import register_of
from ..services import register

PAGE_SIZE = 50


def voter_list(request, pk: int):
    election = get_election_for(request.user, pk)
    if is_party_register(election.rules):  # a Party election's register is its members (views/party.py)
        return redirect("voters:party-register", pk=election.pk)
    full_ids = can_see_full_id(request.user, election)  # the list is masked; this governs the search
    filters = VoterFilterForm(request.GET or None, election=election, id_prefix=full_ids)
    voters = filters.apply(register_of(election)).with_group()
    page = Paginator(voters.order_by("group__number", "name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "election": election,
        "filters": filters,
        "querystring": filters.querystring(),
        "page": page,
        "groups": (groups := queries.group_counts(election)),
        "group_total": queries.total_of(groups),
        "publication": Publication.objects.filter(election=election).first(),
        "deadline": register.publication_deadline(election),
        "can_write": can_write_election(request.user, election),
        "can_setup": can_write_election(request.user, election, setup=True),
        "full_ids": full_ids,
        "categories": eligibility.categories(election.rules),
    }
    return render(request, "voters/voter_list.html", context)


def voter_create(request, pk: int):
    election = get_election_for(request.user, pk, write=True)
    published = Publication.objects.filter(election=election).exists()
    form = VoterForm(request.POST or None, election=election, today=timezone.localdate(), published=published)
    if form.is_valid():
        try:
            voter = register.register_voter(
                by=request.user, voter=form.instance, today=timezone.localdate(), amendment=form.amendment()
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            _report_verdict(request, voter)
            return redirect("voters:voter-detail", pk=election.pk, voter_pk=voter.pk)
    return render(request, "voters/voter_form.html", {"form": form, "election": election, "title": "录入选民"})


def voter_edit(request, pk: int, voter_pk: int):
    # The form shows the full ID number: write access implies ``can_see_full_id`` (villages.access).
    election = get_election_for(request.user, pk, write=True)
    voter = get_child_or_404(Voter.objects.filter(election=election), voter_pk)
    published = Publication.objects.filter(election=election).exists()
    form = VoterForm(
        request.POST or None, instance=voter, election=election, today=timezone.localdate(),
        published=published, amendment_required=published and voter.is_listed,
    )  # fmt: skip
    appeal = _appeal_to_carry_out(election, request.GET.get("appeal"))
    if appeal is not None:
        form.helper.form_action = f"?appeal={appeal.pk}"
    if form.is_valid():
        try:
            register.update_voter(
                by=request.user, voter=form.instance, expected_version=form.cleaned_data["version"] or 0,
                today=timezone.localdate(), amendment=form.amendment(), appeal=appeal,
            )  # fmt: skip
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            _report_verdict(request, voter)
            return redirect("voters:voter-detail", pk=election.pk, voter_pk=voter.pk)
    context = {"form": form, "election": election, "title": f"修改选民：{voter.name}", "voter": voter, "appeal": appeal}
    return render(request, "voters/voter_form.html", context)


def voter_detail(request, pk: int, voter_pk: int):
    election = get_election_for(request.user, pk)
    voter = get_child_or_404(register_of(election).with_group(), voter_pk)
    context = {
        "election": election,
        "voter": voter,
        "id_number": shown_id_number(voter.id_number, full=(full_id := can_see_full_id(request.user, election))),
        "full_id": full_id,
        "amendments": voter.amendments.select_related("batch").order_by("batch__number", "id"),
        "appeals": voter.appeals.order_by("received_on", "id"),
        "proxies_given": voter.proxies_given.select_related("holder").order_by("id"),
        "proxies_held": voter.proxies_held.select_related("principal").order_by("id"),
        "published": Publication.objects.filter(election=election).exists(),
        "has_history": history_of(voter).exists(),
        "can_write": can_write_election(request.user, election),
    }
    return render(request, "voters/voter_detail.html", context)


def voter_add_to_list(request, pk: int, voter_pk: int):
    """补登: put an entered, registered person on the published list."""
    return _amend(request, pk, voter_pk, service=register.list_voter, prefix="ADD_", title="列入选民名单（增）")


def voter_remove_from_list(request, pk: int, voter_pk: int):
    """减: take a person off the published list (death, moving away, …)."""
    return _amend(request, pk, voter_pk, service=register.unlist_voter, prefix="REM_", title="移出选民名单（减）")


def _amend(request, pk, voter_pk, *, service, prefix, title):
    election = get_election_for(request.user, pk, write=True)
    voter = get_child_or_404(Voter.objects.filter(election=election), voter_pk)
    form = AmendmentForm(request.POST or None, election=election, prefix_code=prefix, submit=title, today=timezone.localdate())
    if form.is_valid():
        try:
            batch = service(by=request.user, voter=voter, amendment=form.amendment(), today=timezone.localdate())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"已记录第{batch.number}批名单变更：{voter.name}{title[-2]}。")
            return redirect("voters:voter-detail", pk=election.pk, voter_pk=voter.pk)
    return render(request, "voters/voter_form.html", {"form": form, "election": election, "title": f"{voter.name}：{title}"})


def publish(request, pk: int):
    """张榜公布: an act of the 村民选举委员会, recorded by office staff."""
    election = get_election_for(request.user, pk, setup=True)
    form = DateForm(request.POST or None, initial={"published_on": timezone.localdate()}, submit="确认公布选民名单",
                    reason=True)
    if form.is_valid():
        try:
            publication = register.publish_voter_list(
                by=request.user, election=election, published_on=form.cleaned_data["published_on"],
                today=timezone.localdate(), date_reason=form.cleaned_data["date_reason"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            _report_publication(request, election, publication)
            return redirect("voters:voter-list", pk=election.pk)
    context = {"form": form, "election": election, "deadline": register.publication_deadline(election)}
    return render(request, "voters/publish_form.html", context)


@require_POST
def carry_forward(request, pk: int):
    """人大: start the district's register from last term's final list (Election Law Art. 27 ¶1)."""
    election = get_election_for(request.user, pk, write=True)
    try:
        counts = register.carry_forward_register(by=request.user, election=election, today=timezone.localdate())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        text = f"已沿用上届登记{counts['carried']}人"
        if counts["skipped"]:
            text += f"；{counts['skipped']}人本届已登记，未重复登记"
        messages.success(request, text + "。请核对并登记四增四减。")
    return redirect("voters:voter-list", pk=election.pk)


def amendment_list(request, pk: int):
    election = get_election_for(request.user, pk)
    batches = AmendmentBatch.objects.filter(election=election).select_related("created_by").order_by("number")
    items = {b.pk: [] for b in batches}
    for item in AmendmentItem.objects.filter(batch__election=election).select_related("voter__group").order_by("id"):
        items[item.batch_id].append(item)
    context = {"election": election, "batches": [(b, items[b.pk]) for b in batches], "can_write": can_write_election(request.user, election)}
    context["reasons"] = election.rules.register_change_reasons
    return render(request, "voters/amendment_list.html", context)


def amendment_publish(request, pk: int, batch_pk: int):
    election = get_election_for(request.user, pk, write=True)
    batch = get_child_or_404(AmendmentBatch.objects.filter(election=election), batch_pk)
    form = DateForm(request.POST or None, initial={"published_on": timezone.localdate()}, submit="登记公布")
    if form.is_valid():
        try:
            register.publish_amendment(by=request.user, batch=batch, published_on=form.cleaned_data["published_on"], today=timezone.localdate())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"第{batch.number}批名单变更已登记公布。")
            return redirect("voters:amendment-list", pk=election.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": f"{election}：公布第{batch.number}批名单变更"})


def register_changes(request, pk: int):
    election = get_election_for(request.user, pk)
    comparison = queries.register_comparison(election)
    context = {
        "election": election,
        "comparison": comparison,
        "add_reasons": [(c, l) for c, l in election.rules.register_change_reasons.items() if c.startswith("ADD_")],
        "remove_reasons": [(c, l) for c, l in election.rules.register_change_reasons.items() if c.startswith("REM_")],
        "can_write": can_write_election(request.user, election),
        "full_ids": can_see_full_id(request.user, election),
    }
    return render(request, "voters/register_changes.html", context)


@require_POST
def change_reason(request, pk: int):
    election = get_election_for(request.user, pk, write=True)
    form = ChangeReasonForm(request.POST)
    if form.is_valid():
        # This term's register and, for a village, last term's (四增四减); a 选区 has no last term.
        voters = (register_of(election) if election.is_district
                  else Voter.objects.filter(election__village_id=election.village_id)).select_related("election")
        voter = get_child_or_404(voters, form.cleaned_data["voter"])
        try:
            register.record_change_reason(by=request.user, voter=voter, election=election, reason_code=form.cleaned_data["reason_code"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已记录{voter.name}的四增四减原因。")
    return redirect("voters:register-changes", pk=election.pk)


def _appeal_to_carry_out(election, appeal_pk):
    if not appeal_pk:
        return None
    return get_child_or_404(election.appeals.filter(decision="upheld", kind="wrong_details", batch__isnull=True), appeal_pk)


def _report_verdict(request, voter):
    if voter.status == "registered":
        messages.success(request, f"已保存：{voter.name}，符合登记条件。")
    else:
        messages.warning(request, f"已保存：{voter.name}不予登记。原因：{voter.not_registered_reason}")


def _report_publication(request, election, publication):
    deadline = register.publication_deadline(election)
    messages.success(request, f"选民名单已于{publication.published_on:%Y年%-m月%-d日}公布，共{publication.registered_count}名选民。")
    if publication.published_on > deadline:
        messages.warning(request, f"公布日期晚于法定期限（选举日前{election.rules.voter_list_publish_days_before}日，即{deadline:%Y年%-m月%-d日}），已记录为逾期公布。")
