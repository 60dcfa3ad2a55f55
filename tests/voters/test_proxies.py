"""委托投票 (OL §15 ¶4): registering, approving, revoking and publishing proxies."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.builders import make_election_ready, make_voter, publish_list
from villages.models import AuditEntry, Election
from voters.models import Proxy
from voters.services import proxies

TODAY = date(2027, 1, 5)


@pytest.fixture
def election(election_a, clerk):
    make_election_ready(election=election_a, by=clerk)
    make_voter(election=election_a, name="王建国", serial=1)
    make_voter(election=election_a, name="王秀兰", sex="F", serial=2, away=True)
    make_voter(election=election_a, name="王小军", serial=3, away=True)
    publish_list(election=election_a, by=clerk)
    return Election.objects.with_places().get(pk=election_a.pk)


def people(election):
    return {v.name: v for v in election.voters.all()}


def entrust(election, by, principal="王秀兰", holder="王建国", **fields):
    p = people(election)
    values = {"relation": "spouse", "authorized_on": date(2027, 1, 3), "today": TODAY}
    values.update(fields)
    return proxies.register_proxy(by=by, election=election, principal=p[principal], holder=p[holder], **values)


def set_rules(election, **params):
    campaign = election.campaign
    campaign.rule_params = campaign.rule_params | params
    campaign.save(update_fields=["rule_params"])
    return Election.objects.with_places().get(pk=election.pk)


def codes(exc):
    return [e.code for e in exc.error_list]


def test_registers_a_written_proxy_pending_review(election, clerk):
    proxy = entrust(election, clerk, document_ref="WT-001")
    assert (proxy.status, proxy.document_ref) == (Proxy.Status.PENDING, "WT-001")
    assert AuditEntry.objects.for_object(proxy).get().action == "voters.proxy.registered"


def test_principal_who_is_not_away_is_refused(election, clerk):
    with pytest.raises(ValidationError) as exc:
        entrust(election, clerk, principal="王建国", holder="王秀兰")
    assert codes(exc.value) == ["principal_not_away", "holder_away"]
    assert not Proxy.objects.exists()


def test_unlisted_holder_is_refused(election, clerk):
    make_voter(election=election, name="王新来", serial=4)  # entered after publication, not on the list
    with pytest.raises(ValidationError) as exc:
        entrust(election, clerk, holder="王新来")
    assert codes(exc.value) == ["holder_not_registered"]


def test_cap_per_holder_from_the_preset(election, clerk):
    election = set_rules(election, proxy_max_per_holder=1)
    entrust(election, clerk)
    with pytest.raises(ValidationError) as exc:
        entrust(election, clerk, principal="王小军", relation="child")
    assert codes(exc.value) == ["holder_cap"]
    assert "不得超过1人" in exc.value.messages[0]


def test_revoked_proxy_frees_the_place_and_the_principal(election, clerk):
    election = set_rules(election, proxy_max_per_holder=1)
    proxies.revoke_proxy(by=clerk, proxy=entrust(election, clerk))
    entrust(election, clerk, principal="王小军", relation="child")
    assert Proxy.objects.exclude(status="revoked").count() == 1


def test_principal_may_give_only_one_proxy(election, clerk):
    entrust(election, clerk)
    with pytest.raises(ValidationError) as exc:
        entrust(election, clerk, holder="王小军", relation="sibling")
    assert "principal_already_gave" in codes(exc.value)


def test_request_after_the_deadline_is_refused(election, clerk):
    election = set_rules(election, proxy_request_days_before=3)
    with pytest.raises(ValidationError) as exc:
        entrust(election, clerk, authorized_on=date(2027, 1, 14), today=date(2027, 1, 14))
    assert codes(exc.value) == ["authorized_after_deadline"]
    assert "2027年1月13日" in exc.value.messages[0]


def test_candidate_hook_refuses_a_holder_where_the_preset_says_so(election, clerk, monkeypatch):
    monkeypatch.setattr(proxies, "_holder_checks", [])
    seen = []

    @proxies.register_holder_check
    def no_candidates(election, holder):
        seen.append(holder.name)
        return "受委托人是本届选举的候选人，不能接受委托投票。"

    entrust(election, clerk)  # the national preset allows candidates to hold proxies
    assert seen == []
    election = set_rules(election, proxy_holder_not_candidate=True)
    with pytest.raises(ValidationError) as exc:
        entrust(election, clerk, principal="王小军", relation="child")
    assert codes(exc.value) == ["holder_refused"] and seen == ["王建国"]


def test_approve_then_publish(election, clerk):
    proxy = proxies.approve_proxy(by=clerk, proxy=entrust(election, clerk), approved_on=TODAY, today=TODAY)
    assert proxy.status == Proxy.Status.APPROVED
    assert proxies.publish_proxy_list(by=clerk, election=election, published_on=TODAY, today=TODAY) == 1
    election.refresh_from_db()
    assert election.proxy_list_published_on == TODAY and Proxy.objects.get().published_on == TODAY
    item = next(i for i in election.calendar(TODAY) if i.code == "proxy_list")
    assert item.status == "done"


def test_only_pending_proxies_are_approved(election, clerk):
    proxy = proxies.approve_proxy(by=clerk, proxy=entrust(election, clerk), approved_on=TODAY, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        proxies.approve_proxy(by=clerk, proxy=proxy, approved_on=TODAY, today=TODAY)
    assert codes(exc.value) == ["not_pending"]


def test_nothing_to_publish_without_an_approved_proxy(election, clerk):
    entrust(election, clerk)
    with pytest.raises(ValidationError) as exc:
        proxies.publish_proxy_list(by=clerk, election=election, published_on=TODAY, today=TODAY)
    assert codes(exc.value) == ["nothing_to_publish"]


# ---------------------------------------------------------------- pages


def test_liaison_registers_a_proxy_from_the_page(client, election, liaison_a, time_machine):
    time_machine.move_to(TODAY)
    client.force_login(liaison_a)
    p = people(election)
    data = {"principal": p["王秀兰"].id_number, "holder": p["王建国"].id_number, "relation": "spouse", "authorized_on": "2027-01-03"}
    assert client.post(reverse("voters:proxy-create", args=[election.pk]), data).status_code == 302
    assert Proxy.objects.get().holder == p["王建国"]


def test_refused_proxy_shows_chinese_messages_and_saves_nothing(client, election, clerk, time_machine):
    time_machine.move_to(TODAY)
    client.force_login(clerk)
    p = people(election)
    data = {"principal": p["王建国"].id_number, "holder": p["王秀兰"].id_number, "relation": "spouse", "authorized_on": "2027-01-03"}
    response = client.post(reverse("voters:proxy-create", args=[election.pk]), data)
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["principal_not_away", "holder_away"]
    assert "外出" in response.content.decode()
    assert not Proxy.objects.exists()


def test_liaison_may_not_approve(client, election, clerk, liaison_a):
    proxy = entrust(election, clerk)
    client.force_login(liaison_a)
    assert client.post(reverse("voters:proxy-approve", args=[election.pk, proxy.pk])).status_code == 403
    assert Proxy.objects.get().status == Proxy.Status.PENDING


def test_clerk_approves_from_the_list(client, election, clerk, time_machine):
    time_machine.move_to(TODAY)
    proxy = entrust(election, clerk)
    client.force_login(clerk)
    response = client.post(reverse("voters:proxy-approve", args=[election.pk, proxy.pk]), {"approved_on": "2027-01-05"})
    assert response.status_code == 302
    assert Proxy.objects.get().approved_on == TODAY


def test_get_on_a_post_only_action_is_refused(client, election, clerk):
    proxy = entrust(election, clerk)
    client.force_login(clerk)
    assert client.get(reverse("voters:proxy-revoke", args=[election.pk, proxy.pk])).status_code == 405


def test_supervisor_reads_but_may_not_register(client, election, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("voters:proxy-list", args=[election.pk])).status_code == 200
    assert client.get(reverse("voters:proxy-create", args=[election.pk])).status_code == 403


def test_other_village_liaison_gets_404(client, election, clerk, liaison_b):
    proxy = entrust(election, clerk)
    client.force_login(liaison_b)
    assert client.get(reverse("voters:proxy-list", args=[election.pk])).status_code == 404
    assert client.post(reverse("voters:proxy-revoke", args=[election.pk, proxy.pk])).status_code == 404
    assert Proxy.objects.get().status == Proxy.Status.PENDING


@pytest.mark.parametrize("count", [2, 6])
def test_proxy_list_query_count_is_constant(client, election, clerk, django_assert_num_queries, count):
    from tests.builders import make_voters

    holders = make_voters(election=election, count=count, start=100, listed_from=date(2026, 12, 20))
    principals = make_voters(election=election, count=count, start=200, listed_from=date(2026, 12, 20))
    for holder, principal in zip(holders, principals, strict=True):
        Proxy.objects.create(election=election, principal=principal, holder=holder, relation="child", authorized_on=TODAY)
    client.force_login(clerk)
    with django_assert_num_queries(8):
        client.get(reverse("voters:proxy-list", args=[election.pk]))
