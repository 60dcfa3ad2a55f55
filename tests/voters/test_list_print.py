"""A long published list is printed by the task worker: the download view queues it, the page polls,
and the finished file is downloaded (and logged). Short lists still print during the request."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.builders import make_voters
from villages.models import AuditEntry
from voters.models import ListPrint


@pytest.fixture
def listed(election_a):
    make_voters(election=election_a, count=6, listed_from=date(2026, 12, 20))
    return election_a


def test_a_list_over_the_limit_goes_to_the_worker(client, listed, supervisor, settings, django_capture_on_commit_callbacks):
    settings.VOTER_LIST_INLINE_MAX = 5
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("voters:published-list-pdf", kwargs={"pk": listed.pk}) + "?on=2027-01-16")
    job = ListPrint.objects.get()
    assert response.status_code == 302 and response.url == reverse("voters:list-print", kwargs={"pk": listed.pk, "print_pk": job.pk})
    assert (job.state, job.as_of, job.requested_by) == (ListPrint.State.DONE, date(2027, 1, 16), supervisor)
    page = client.get(response.url).content.decode()
    download = reverse("voters:list-print-download", kwargs={"pk": listed.pk, "print_pk": job.pk})
    assert download in page
    assert not AuditEntry.objects.filter(action="voters.published_list.printed").exists()  # not yet handed out
    pdf = client.get(download)
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "东山村第十二届村民委员会选举选民名单" in text
    assert listed.voters.first().name in text
    entry = AuditEntry.objects.get(action="voters.published_list.printed")
    assert entry.actor == supervisor and entry.changes["as_of"] == [None, "2027-01-16"]


def test_a_list_within_the_limit_prints_at_once(client, listed, supervisor, settings):
    settings.VOTER_LIST_INLINE_MAX = 6
    client.force_login(supervisor)
    response = client.get(reverse("voters:published-list-pdf", kwargs={"pk": listed.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert ListPrint.objects.count() == 0


def test_the_page_polls_while_the_job_waits_and_a_failed_job_says_so(client, listed, clerk):
    job = ListPrint.objects.create(election=listed, paper="a4", as_of=date(2027, 1, 16), filename="名单.pdf",
                                   requested_by=clerk)
    client.force_login(clerk)
    kwargs = {"pk": listed.pk, "print_pk": job.pk}
    assert "正在排队等待生成" in client.get(reverse("voters:list-print-progress", kwargs=kwargs)).content.decode()
    assert client.get(reverse("voters:list-print-download", kwargs=kwargs)).status_code == 404
    ListPrint.objects.filter(pk=job.pk).update(state=ListPrint.State.FAILED, message="生成选民名单时出错")
    assert client.get(reverse("voters:list-print-progress", kwargs=kwargs))["HX-Refresh"] == "true"
    assert "生成选民名单时出错" in client.get(reverse("voters:list-print", kwargs=kwargs)).content.decode()


def test_a_long_draft_before_publication_goes_to_the_worker(client, election_a, clerk, settings,
                                                              django_capture_on_commit_callbacks):
    """Nothing is published yet, so nobody is "listed": the draft prints every registered voter and
    must be judged by that count (5,120 voters took 12.6 s in the request)."""
    make_voters(election=election_a, count=6)
    settings.VOTER_LIST_INLINE_MAX = 5
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("voters:published-list-pdf", kwargs={"pk": election_a.pk}))
    job = ListPrint.objects.get()
    assert response.status_code == 302 and response.url == reverse("voters:list-print", kwargs={"pk": election_a.pk,
                                                                                              "print_pk": job.pk})
    assert job.state == ListPrint.State.DONE
