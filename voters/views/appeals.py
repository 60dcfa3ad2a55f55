"""Appeals against the published list (选民资格申诉, OL §14 ¶2).

Filing: whoever receives the appeal (office staff, the village's liaison officer). Deciding and
publishing the decision: acts of the 村民选举委员会, recorded by office staff (election-setup rights).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from villages.access import can_write_election, get_child_or_404, get_election_for
from villages.formtools import attach_errors

from .. import queries
from ..forms import AppealDecisionForm, AppealForm, DateForm
from ..models import Appeal, Publication
from ..services import appeals


def appeal_list(request, pk: int):
    election = get_election_for(request.user, pk)
    rows = queries.appeal_rows(election, timezone.localdate())
    publication = Publication.objects.filter(election=election).first()
    context = {
        "election": election,
        "rows": rows,
        "overdue": [row for row in rows if row.overdue],
        "publication": publication,
        "window_end": queries.appeal_deadlines(election, publication),
        "can_write": can_write_election(request.user, election),
        "can_setup": can_write_election(request.user, election, setup=True),
    }
    return render(request, "voters/appeal_list.html", context)


def appeal_create(request, pk: int):
    election = get_election_for(request.user, pk, write=True)
    today = timezone.localdate()
    form = AppealForm(request.POST or None, election=election, today=today)
    if form.is_valid():
        try:
            appeals.file_appeal(by=request.user, election=election, today=today, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "申诉已登记，请在法定期限内作出决定。")
            return redirect("voters:appeal-list", pk=election.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": f"{election}：登记选民资格申诉"})


def appeal_decide(request, pk: int, appeal_pk: int):
    election = get_election_for(request.user, pk, setup=True)
    appeal = get_child_or_404(Appeal.objects.filter(election=election).select_related("voter"), appeal_pk)
    today = timezone.localdate()
    form = AppealDecisionForm(request.POST or None, appeal=appeal, today=today)
    if form.is_valid():
        data = form.cleaned_data
        try:
            appeals.decide_appeal(
                by=request.user, appeal=appeal, decision=data["decision"], decision_text=data["decision_text"],
                decided_on=data["decided_on"], published_on=data["published_on"], voter=data["voter"],
                reason_code=data["reason_code"], today=today, expected_version=data["version"],
            )  # fmt: skip
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return _after_decision(request, election, appeal)
    context = {"form": form, "election": election, "appeal": appeal, "due": queries.decision_deadline(election, appeal)}
    return render(request, "voters/appeal_decide.html", context)


def appeal_publish(request, pk: int, appeal_pk: int):
    election = get_election_for(request.user, pk, setup=True)
    appeal = get_child_or_404(Appeal.objects.filter(election=election), appeal_pk)
    form = DateForm(request.POST or None, initial={"published_on": timezone.localdate(), "version": appeal.version}, label="决定公布日期", submit="登记公布")
    if form.is_valid():
        try:
            appeals.publish_appeal_decision(
                by=request.user, appeal=appeal, published_on=form.cleaned_data["published_on"],
                today=timezone.localdate(), expected_version=form.cleaned_data["version"] or 0,
            )  # fmt: skip
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "申诉处理决定的公布日期已登记。")
            return redirect("voters:appeal-list", pk=election.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": f"公布申诉处理决定：{appeal}"})


def _after_decision(request, election, appeal):
    messages.success(request, f"已记录处理决定：{appeal.get_decision_display()}。")
    if appeal.batch_id:
        messages.info(request, f"已据此形成第{appeal.batch.number}批名单变更。")
    if appeal.decision == Appeal.Decision.UPHELD and appeal.kind == Appeal.Kind.WRONG_DETAILS:
        messages.info(request, "请在下面的页面更正该选民的信息，变更将记入名单变更并关联此申诉。")
        url = reverse("voters:voter-edit", kwargs={"pk": election.pk, "voter_pk": appeal.voter_id})
        return redirect(f"{url}?appeal={appeal.pk}")
    return redirect("voters:appeal-list", pk=election.pk)
