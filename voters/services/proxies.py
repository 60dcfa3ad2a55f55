"""Proxy voting (委托投票, OL §15 ¶4): registering a written entrustment, the committee's approval,
revocation and the published list of principals and holders. The rules are in
``voters.proxy_rules``; this module gathers the facts, takes the locks and writes.

Hook for later apps: where the preset says a candidate may not hold proxies
(``proxy_holder_not_candidate``, ZJ Art. 25, BJ Art. 25), the candidates app registers a check with
``register_holder_check(fn)`` from its ``AppConfig.ready()``; ``voters`` never imports ``candidates``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from villages.audit import diff, log_action, snapshot
from villages.models import Election, User
from villages.versioning import save_versioned

from .. import proxy_rules
from ..models import Proxy, Publication, Status, Voter
from . import register

ERROR_MESSAGES = {
    "not_pending": "只有待审核的委托可以审核同意（当前：{status}）。",
    "already_revoked": "该委托已撤销。",
    "approved_before_authorized": "审核同意日期不能早于书面委托日期。",
    "approved_in_future": "审核同意日期不能晚于今天。",
    "nothing_to_publish": "没有已审核同意的委托投票，无需公布名单。",
    "published_in_future": "公布日期不能晚于今天。",
    "published_after_election": "委托投票名单须在选举日前公布。",
}

# fn(election, holder) -> a Chinese message when ``holder`` may not hold proxies, else None.
HolderCheck = Callable[[Election, Voter], "str | None"]
_holder_checks: list[HolderCheck] = []


def register_holder_check(check: HolderCheck) -> HolderCheck:
    """Add a check run on every proxy holder when the preset's ``proxy_holder_not_candidate`` is
    set (the candidates app: "a candidate may not hold proxies"). Usable as a decorator;
    registering the same function twice is a no-op."""
    if check not in _holder_checks:
        _holder_checks.append(check)
    return check


def _error(code: str, *, field: str | None = None, **params) -> ValidationError:
    error = ValidationError(ERROR_MESSAGES[code].format(**params), code=code)
    return ValidationError({field: [error]}) if field else error


@transaction.atomic
def register_proxy(
    *,
    by: User,
    election: Election,
    principal: Voter,
    holder: Voter,
    relation: str,
    authorized_on: date,
    today: date,
    document_ref: str = "",
) -> Proxy:
    """Record a written entrustment, pending the committee's review.

    The holder's row is locked while their proxies are counted, so two clerks cannot both give the
    last place under the cap to different principals.
    """
    election = register.lock_election(election.pk)
    rules = election.rules
    # order_by: the default ordering joins the voter's group, which FOR UPDATE refuses on PostgreSQL.
    locked = {v.pk: v for v in
              Voter.objects.select_for_update().filter(pk__in=[principal.pk, holder.pk]).order_by("pk")}
    principal, holder = locked[principal.pk], locked.get(holder.pk, holder)
    request = proxy_rules.ProxyRequest(
        principal=_party(principal, election),
        holder=_party(holder, election),
        relation=relation,
        authorized_on=authorized_on,
    )
    refusals = []
    if rules.proxy_holder_not_candidate:
        refusals = [("holder_refused", message) for check in _holder_checks if (message := check(election, holder))]
    problems = proxy_rules.check_request(
        request, election_day=election.election_day, today=today, params=rules, holder_refusals=refusals
    )
    if problems:
        raise ValidationError([ValidationError(p.message, code=p.code) for p in problems])
    proxy = Proxy.objects.create(
        election=election,
        principal=principal,
        holder=holder,
        relation=relation,
        authorized_on=authorized_on,
        document_ref=document_ref,
    )
    log_action(by=by, action="voters.proxy.registered", obj=proxy, changes=diff({}, snapshot(proxy)))
    return proxy


@transaction.atomic
def approve_proxy(*, by: User, proxy: Proxy, approved_on: date, today: date) -> Proxy:
    """The committee accepts a pending entrustment (it reviews the written form, ZJ Art. 25)."""
    register.lock_election(proxy.election_id)
    proxy = Proxy.objects.select_for_update().get(pk=proxy.pk)
    if proxy.status != Proxy.Status.PENDING:
        raise _error("not_pending", status=proxy.get_status_display())
    if approved_on < proxy.authorized_on:
        raise _error("approved_before_authorized", field="approved_on")
    if approved_on > today:
        raise _error("approved_in_future", field="approved_on")
    before = snapshot(proxy)
    proxy.status, proxy.approved_on = Proxy.Status.APPROVED, approved_on
    proxy.save(update_fields=["status", "approved_on"])
    log_action(by=by, action="voters.proxy.approved", obj=proxy, changes=diff(before, snapshot(proxy)))
    return proxy


@transaction.atomic
def revoke_proxy(*, by: User, proxy: Proxy) -> Proxy:
    """The principal withdraws the entrustment (or the committee strikes it); the record stays."""
    register.lock_election(proxy.election_id)
    proxy = Proxy.objects.select_for_update().get(pk=proxy.pk)
    if proxy.status == Proxy.Status.REVOKED:
        raise _error("already_revoked")
    before = snapshot(proxy)
    proxy.status = Proxy.Status.REVOKED
    proxy.save(update_fields=["status"])
    log_action(by=by, action="voters.proxy.revoked", obj=proxy, changes=diff(before, snapshot(proxy)))
    return proxy


@transaction.atomic
def publish_proxy_list(*, by: User, election: Election, published_on: date, today: date) -> int:
    """公布委托人和受委托人名单 (OL §15 ¶4): stamp every approved, unpublished proxy and the election.

    Returns how many proxies were newly published. A date after ``publish_deadline`` is accepted and
    shows as late on the calendar; one on or after election day is refused.
    """
    election = register.lock_election(election.pk)
    if published_on > today:
        raise _error("published_in_future", field="published_on")
    if published_on >= election.election_day:
        raise _error("published_after_election", field="published_on")
    approved = Proxy.objects.filter(election=election, status=Proxy.Status.APPROVED)
    if not approved.exists():
        raise _error("nothing_to_publish")
    count = approved.filter(published_on__isnull=True).update(published_on=published_on)
    before = snapshot(election, ["proxy_list_published_on"])
    election.proxy_list_published_on = published_on
    save_versioned(election, fields=["proxy_list_published_on"], expected_version=None)
    late = published_on > proxy_rules.publish_deadline(election.election_day, election.rules)
    changes = diff(before, snapshot(election, ["proxy_list_published_on"])) | {"proxies": [None, count], "late": [None, late]}
    log_action(by=by, action="voters.proxy_list.published", obj=election, changes=changes)
    return count


def _party(voter: Voter, election: Election) -> proxy_rules.Party:
    published = Publication.objects.filter(election=voter.election_id).exists()
    active = Proxy.objects.filter(election=voter.election_id).exclude(status=Proxy.Status.REVOKED)
    return proxy_rules.Party(
        voter_id=voter.pk,
        election_id=voter.election_id,
        on_list=voter.status == Status.REGISTERED and (voter.is_listed or not published),
        away=voter.away,
        gives_proxy=active.filter(principal=voter).exists(),
        holds=active.filter(holder=voter).count(),
    )
