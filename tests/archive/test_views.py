from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from archive.models import Complaint, HandoverItem, UnlockRequest
from archive.services import request_unlock
from tests.archive.conftest import DAY
from villages.access import CERTIFIED
from villages.models import AuditEntry


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


# ---------------------------------------------------------------- certify


def test_certify_page_shows_checklist_and_certifies(client, clerk, announced, time_machine):
    time_machine.move_to(DAY)
    client.force_login(clerk)
    url = reverse("archive:certify", kwargs={"pk": announced.pk})
    page = soup(client.get(url))
    assert page.select_one("#result-status") is not None
    assert len(page.select("#checklist tbody tr")) == 2
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    announced.refresh_from_db()
    assert announced.is_certified
    assert client.get(url).status_code == 403  # the page itself is locked once certified


def test_certify_before_final_count_shows_message_and_changes_nothing(client, clerk, counting):
    client.force_login(clerk)
    response = client.post(reverse("archive:certify", kwargs={"pk": counting.election.pk}), {"confirm": "on"})
    assert response.status_code == 200
    assert "计票结果尚未确定" in response.content.decode()
    counting.election.refresh_from_db()
    assert not counting.election.is_certified


def test_liaison_cannot_open_certify_page(client, liaison_a, election_a):
    client.force_login(liaison_a)
    assert client.get(reverse("archive:certify", kwargs={"pk": election_a.pk})).status_code == 403


def test_certified_voter_page_shows_lock_message(client, clerk, certified):
    client.force_login(clerk)
    response = client.get(reverse("voters:voter-create", kwargs={"pk": certified.pk}))
    assert response.status_code == 403
    assert CERTIFIED in response.content.decode()


# ---------------------------------------------------------------- unlock


def test_unlock_request_page_creates_request(client, clerk, certified):
    client.force_login(clerk)
    response = client.post(reverse("archive:unlock-request", kwargs={"pk": certified.pk}), {"reason": "票数录入有误"})
    assert response.status_code == 302
    assert UnlockRequest.objects.get().requested_by == clerk


def test_unlock_request_without_reason_shows_error(client, clerk, certified):
    client.force_login(clerk)
    response = client.post(reverse("archive:unlock-request", kwargs={"pk": certified.pk}), {"reason": ""})
    assert response.status_code == 200
    assert UnlockRequest.objects.count() == 0


def test_supervisor_approves_unlock_through_the_page(client, clerk, supervisor, certified):
    unlock = request_unlock(by=clerk, election=certified, reason="录入有误")
    client.force_login(supervisor)
    response = client.post(reverse("archive:unlock-approve", kwargs={"request_pk": unlock.pk}))
    assert response.status_code == 302
    certified.refresh_from_db()
    assert not certified.is_certified
    assert AuditEntry.objects.get(action="archive.unlock.approved").actor == supervisor


def test_requester_approving_own_unlock_sees_message_and_stays_locked(client, clerk, certified):
    unlock = request_unlock(by=clerk, election=certified, reason="录入有误")
    client.force_login(clerk)
    response = client.post(reverse("archive:unlock-approve", kwargs={"request_pk": unlock.pk}), follow=True)
    assert "解锁须由申请人以外的另一人批准" in response.content.decode()
    certified.refresh_from_db()
    assert certified.is_certified


def test_liaison_cannot_approve_unlock(client, clerk, liaison_a, certified):
    unlock = request_unlock(by=clerk, election=certified, reason="录入有误")
    client.force_login(liaison_a)
    assert client.post(reverse("archive:unlock-approve", kwargs={"request_pk": unlock.pk})).status_code == 403
    assert UnlockRequest.objects.get().status == UnlockRequest.Status.PENDING


@pytest.mark.parametrize("n", [1, 3])
def test_unlock_list_query_count_is_constant(client, clerk, supervisor, election_a, n, django_assert_num_queries):
    for _ in range(n):
        UnlockRequest.objects.create(election=election_a, reason="录入有误", requested_by=clerk, status="approved",
                                     approved_by=supervisor)
    client.force_login(supervisor)
    with django_assert_num_queries(7):
        response = client.get(reverse("archive:unlock-list"))
    assert len(soup(response).select("#unlock-requests tbody tr")) == n


# ---------------------------------------------------------------- handover


def _item_data(kind="seal"):
    return {"kind": kind, "description": "村委会公章一枚", "handed_over_by": "张三", "received_by": "李四",
            "handed_on": DAY.isoformat(), "note": ""}


def test_handover_page_records_items_and_completes(client, clerk, certified, time_machine):
    time_machine.move_to(DAY)
    client.force_login(clerk)
    url = reverse("archive:handover", kwargs={"pk": certified.pk})
    page = soup(client.get(url))
    assert "2027年1月26日" in page.select_one("#handover-deadline").text
    assert client.post(url, _item_data()).status_code == 302
    assert HandoverItem.objects.get().kind == "seal"
    response = client.post(reverse("archive:handover-complete", kwargs={"pk": certified.pk}), {"on": DAY.isoformat()})
    assert response.status_code == 302
    certified.refresh_from_db()
    assert certified.handover_completed_on == DAY and certified.stage == "archived"


def test_complete_without_seal_shows_message(client, clerk, certified):
    client.force_login(clerk)
    client.post(reverse("archive:handover", kwargs={"pk": certified.pk}), _item_data(kind="finance"))
    response = client.post(reverse("archive:handover-complete", kwargs={"pk": certified.pk}),
                           {"on": DAY.isoformat()}, follow=True)
    assert "尚未登记印章移交" in response.content.decode()
    certified.refresh_from_db()
    assert certified.handover_completed_on is None


# ---------------------------------------------------------------- complaints


def _complaint_data(township, village, **overrides):
    data = {"township": township.pk, "village": village.pk, "received_on": "2027-01-20", "channel": "visit",
            "subject": "反映贿选", "category": "bribery", "handler": "王五", "deadline": "", "status": "received",
            "outcome": "", "resolved_on": ""}
    return data | overrides


def test_clerk_registers_complaint(client, clerk, township, village_a):
    client.force_login(clerk)
    response = client.post(reverse("archive:complaint-create"), _complaint_data(township, village_a))
    assert response.status_code == 302
    assert Complaint.objects.get().village == village_a


def test_resolved_complaint_without_date_shows_message(client, clerk, township, village_a):
    client.force_login(clerk)
    response = client.post(reverse("archive:complaint-create"),
                           _complaint_data(township, village_a, status="resolved"))
    assert response.status_code == 200
    assert "已办结的信访举报须填写办结日期" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_village_of_another_township_is_refused(client, admin_user, township, other_village):
    client.force_login(admin_user)
    response = client.post(reverse("archive:complaint-create"), _complaint_data(township, other_village))
    assert "所选村不属于该乡镇" in response.content.decode()
    assert Complaint.objects.count() == 0


def _make(village, n):
    for i in range(n):
        Complaint.objects.create(township=village.township, village=village, received_on=date(2027, 1, 20),
                                 channel="letter", subject=f"反映{i}", category="other")


def test_liaison_sees_only_own_village_complaints(client, liaison_a, village_a, village_b):
    _make(village_a, 1)
    _make(village_b, 2)
    client.force_login(liaison_a)
    page = soup(client.get(reverse("archive:complaint-list")))
    assert len(page.select("#complaints tbody tr")) == 1
    assert page.select_one("#complaints a") is None  # read-only: no edit links


@pytest.mark.parametrize("n", [1, 3])
def test_complaint_list_query_count_is_constant(client, clerk, village_a, n, django_assert_num_queries):
    _make(village_a, n)
    client.force_login(clerk)
    with django_assert_num_queries(7):
        response = client.get(reverse("archive:complaint-list"))
    assert len(soup(response).select("#complaints tbody tr")) == n
