"""The township Party congress elects its committee (党委委员) and discipline committee (纪委委员) by the delegates
present (issue 12; LAW.md §4.2, §4.5; reference 003: 9 candidates for 7 seats, 4 for 3): recorded under the
round's lock with an audit entry, refused when the vote cannot proceed, shown with one sentence per candidate, and
printed. Seats left unfilled (a shortfall, a tie at the last seat) are voted again (另行选举) among the not elected,
round by round, until every seat is filled."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from candidates import congress_services
from candidates.models import CongressBodyVote
from tests.builders import preset
from villages import party_congress
from villages.audit_labels import action_label
from villages.models import AuditEntry

DAY = date(2026, 12, 10)
NINE = [(f"候选人{n}", v) for n, v in zip(range(1, 10), [46, 45, 44, 40, 38, 30, 25, 24, 10])]
# Five of nine above half of 47 (at least 24 votes): two committee seats unfilled.
SHORT = [(f"候选人{n}", v) for n, v in zip(range(1, 10), [46, 45, 44, 40, 38, 23, 20, 15, 10])]


@pytest.fixture
def congress(township, village_a, clerk):
    return party_congress.open_congress_round(by=clerk, township=township, term_number=10,
                                              preset=preset("REFERENCE_003_CONGRESS"), election_day=date(2026, 11, 28))


def record(congress, clerk, **overrides):
    values = dict(body="committee", seats=7, due=49, present=47, candidates=NINE, held_on=DAY, today=DAY)
    return congress_services.record_body_vote(by=clerk, campaign=congress, **(values | overrides))


def test_nine_for_seven_by_47_of_49_delegates_is_recorded_with_its_audit_entry(congress, clerk):
    vote = record(congress, clerk)
    assert (vote.body, vote.seats, vote.due, vote.present, vote.candidates[0]) == ("committee", 7, 49, 47, ["候选人1", 46])
    result = congress_services.body_result(vote)
    assert result.elected == ("候选人1", "候选人2", "候选人3", "候选人4", "候选人5", "候选人6", "候选人7")
    entry = AuditEntry.objects.get(action="candidates.congress.body_voted")
    assert entry.changes["elected"][1] == list(result.elected) and entry.changes["present"] == [None, 47]
    assert action_label("candidates.congress.body_voted") == "登记党代表大会选举党委委员、纪委委员的结果"


def test_a_vote_that_cannot_proceed_or_is_recorded_twice_is_refused(congress, clerk):
    with pytest.raises(ValidationError) as short:
        record(congress, clerk, candidates=NINE[:8])
    assert short.value.messages == ["党委委员应选7名，候选人8名，差额不足应选名额的20%，候选人应不少于9名。"]
    with pytest.raises(ValidationError) as quorum:
        record(congress, clerk, present=39)
    assert quorum.value.messages == ["有选举权的到会代表39名，未超过应到会49名的五分之四（至少40名），不能进行选举。"]
    with pytest.raises(ValidationError) as votes:
        record(congress, clerk, candidates=[("甲", 48)] + NINE[1:])
    assert votes.value.messages == ["甲的赞成票48票多于实到会有选举权的代表47名，请核对。"]
    record(congress, clerk)
    with pytest.raises(ValidationError) as twice:
        record(congress, clerk)
    assert twice.value.messages == ["党委委员应选7名已经选足，不能再次选举。"]
    assert CongressBodyVote.objects.count() == 1


def test_a_closed_round_refuses_the_vote(congress, clerk):
    type(congress).objects.filter(pk=congress.pk).update(closed_on=DAY)
    with pytest.raises(ValidationError) as closed:
        record(congress, clerk)
    assert closed.value.messages == ["本次选举已经结束，不能再修改。"]
    assert not CongressBodyVote.objects.exists()


def test_the_clerk_records_both_bodies_on_the_page_and_the_supervisor_reads_and_prints(client, congress, clerk,
                                                                                       supervisor, time_machine):
    time_machine.move_to(DAY)
    client.force_login(clerk)
    url = reverse("candidates:congress-vote", args=[congress.pk])
    lines = "\n".join(f"{name} {votes}" for name, votes in NINE)
    response = client.post(url, {"body": "committee", "seats": 7, "held_on": DAY.isoformat(), "due": 49,
                                 "present": 47, "candidates": lines})
    assert response.status_code == 302
    response = client.post(url, {"body": "discipline", "seats": 3, "held_on": DAY.isoformat(), "due": 49,
                                 "present": 47, "candidates": "甲 40\n乙 30\n丙 28\n丁 28"})
    assert response.status_code == 302
    client.force_login(supervisor)
    page = client.get(url).content.decode()
    assert "候选人8得赞成票24票，超过实到会有选举权的代表47名的半数（至少24票），可以当选。" in page
    assert "当选党委委员7名：候选人1、候选人2、候选人3、候选人4、候选人5、候选人6、候选人7。" in page
    assert "丙、丁得票均为28票，并列纪委委员第3名，应就得票相等的候选人再次投票确定。" in page
    assert "登记选举结果" not in page
    assert client.post(url, {"body": "committee"}).status_code == 403
    pdf = client.get(reverse("candidates:congress-vote-pdf", args=[congress.pk]))
    assert pdf.status_code == 200 and pdf["content-type"] == "application/pdf"
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "青山镇第十次党代表大会选举党委委员、纪委委员结果" in text
    assert "当选党委委员7名：候选人1、候选人2、候选人3、候选人4、候选人5、候选人6、候选人7。" in text
    assert "候选人9得赞成票10票，未超过实到会有选举权的代表47名的半数（至少24票），不能当选。" in text


def test_a_malformed_line_is_shown_with_its_number(client, congress, clerk, time_machine):
    time_machine.move_to(DAY)
    client.force_login(clerk)
    response = client.post(reverse("candidates:congress-vote", args=[congress.pk]), {
        "body": "committee", "seats": 7, "held_on": DAY.isoformat(), "due": 49, "present": 47,
        "candidates": "候选人1 46\n候选人2"})
    assert response.status_code == 200
    assert "第2行“候选人2”应为姓名、空格、赞成票数。" in response.content.decode()


# ---------------------------------------------------------------- 另行选举 for seats left unfilled


def test_a_shortfall_is_voted_again_for_the_remaining_seats_among_the_not_elected(congress, clerk):
    first = record(congress, clerk, candidates=SHORT)
    assert first.round == 1
    assert congress_services.body_result(first).elected == ("候选人1", "候选人2", "候选人3", "候选人4", "候选人5")
    again = record(congress, clerk, seats=2, present=46, candidates=[("候选人6", 30), ("候选人7", 25), ("候选人8", 12)])
    assert (again.round, again.seats, again.present) == (2, 2, 46)
    outcome = congress_services.body_outcome([first, again], congress.rules)
    assert outcome.elected == ("候选人1", "候选人2", "候选人3", "候选人4", "候选人5", "候选人6", "候选人7")
    assert (outcome.unfilled, outcome.not_elected) == (0, ("候选人8", "候选人9"))
    assert outcome.finding.message == ("经2轮选举，共当选党委委员7名：候选人1、候选人2、候选人3、候选人4、候选人5、候选人6、"
                                       "候选人7，应选7名已经选足")
    entry = AuditEntry.objects.filter(action="candidates.congress.body_voted").latest("pk")
    assert (entry.changes["round"], entry.changes["elected"]) == ([None, 2], [None, ["候选人6", "候选人7"]])
    with pytest.raises(ValidationError) as filled:
        record(congress, clerk, seats=1, candidates=[("候选人8", 30), ("候选人9", 20)])
    assert filled.value.messages == ["党委委员应选7名已经选足，不能再次选举。"]
    assert list(CongressBodyVote.objects.values_list("round", flat=True)) == [1, 2]


def test_a_further_round_is_refused_for_other_seats_or_candidates(congress, clerk):
    record(congress, clerk, candidates=SHORT)
    cases = [
        (dict(seats=3, candidates=[("候选人6", 30), ("候选人7", 25), ("候选人8", 12), ("候选人9", 5)]),
         "党委委员另行选举的应选名额应为尚缺的2名。"),
        (dict(seats=2, candidates=[("候选人1", 30), ("候选人7", 25), ("候选人8", 12)]),
         "候选人1已当选党委委员，不能列为另行选举的候选人。"),
        (dict(seats=2, candidates=[("候选人6", 30), ("新人", 25), ("候选人8", 12)]),
         "新人不是党委委员此前未当选的候选人，另行选举在未当选的候选人中进行。"),
        (dict(seats=2, candidates=[("候选人6", 30), ("候选人7", 25)]),
         "党委委员应选2名，候选人2名，差额不足应选名额的20%，候选人应不少于3名。"),
    ]
    for overrides, message in cases:
        with pytest.raises(ValidationError) as refused:
            record(congress, clerk, **overrides)
        assert refused.value.messages == [message]
    assert CongressBodyVote.objects.count() == 1
    # The discipline committee's first vote is its own round 1, not the committee's further round.
    assert record(congress, clerk, body="discipline", seats=3, candidates=[("甲", 40), ("乙", 30), ("丙", 28),
                                                                             ("丁", 10)]).round == 1


def test_a_tie_at_the_last_seat_is_voted_again_between_the_tied(congress, clerk):
    first = record(congress, clerk, body="discipline", seats=3, candidates=[("甲", 40), ("乙", 30), ("丙", 28), ("丁", 28)])
    assert congress_services.body_result(first).elected == ("甲", "乙")
    again = record(congress, clerk, body="discipline", seats=1, candidates=[("丙", 20), ("丁", 27)])
    outcome = congress_services.body_outcome([first, again], congress.rules)
    assert (again.round, outcome.elected, outcome.unfilled) == (2, ("甲", "乙", "丁"), 0)


def test_a_further_round_that_still_falls_short_leaves_a_third(congress, clerk):
    first = record(congress, clerk, candidates=SHORT)
    second = record(congress, clerk, seats=2, candidates=[("候选人6", 30), ("候选人7", 20), ("候选人8", 12)])
    outcome = congress_services.body_outcome([first, second], congress.rules)
    assert (outcome.unfilled, outcome.finding.severity) == (1, "warning")
    assert outcome.finding.message == ("经2轮选举，共当选党委委员6名：候选人1、候选人2、候选人3、候选人4、候选人5、候选人6，"
                                       "应选7名尚缺1名，可就缺额另行选举")
    third = record(congress, clerk, seats=1, candidates=[("候选人7", 30), ("候选人8", 12)])
    assert third.round == 3
    assert congress_services.body_outcome([first, second, third], congress.rules).unfilled == 0


def test_the_page_offers_the_further_round_and_shows_each_round_and_the_result(client, congress, clerk, supervisor,
                                                                               time_machine):
    from bs4 import BeautifulSoup

    time_machine.move_to(DAY)
    client.force_login(clerk)
    url = reverse("candidates:congress-vote", args=[congress.pk])
    lines = "\n".join(f"{name} {votes}" for name, votes in SHORT)
    assert client.post(url, {"body": "committee", "seats": 7, "held_on": DAY.isoformat(), "due": 49, "present": 47,
                             "candidates": lines}).status_code == 302
    soup = BeautifulSoup(client.get(url).content.decode(), "html.parser")
    assert [o.text for o in soup.find(id="id_body").find_all("option")] == [
        "党委委员（第2轮，就缺额2名另行选举）", "纪委委员"]
    response = client.post(url, {"body": "committee", "seats": 2, "held_on": DAY.isoformat(), "due": 49,
                                 "present": 47, "candidates": "候选人1 30\n候选人7 25\n候选人8 12"})
    assert response.status_code == 200
    assert "候选人1已当选党委委员，不能列为另行选举的候选人。" in response.content.decode()
    assert client.post(url, {"body": "committee", "seats": 2, "held_on": DAY.isoformat(), "due": 49, "present": 47,
                             "candidates": "候选人6 30\n候选人7 25\n候选人8 12"}).status_code == 302
    client.force_login(supervisor)
    soup = BeautifulSoup(client.get(url).content.decode(), "html.parser")
    assert " ".join(soup.find(id="vote-committee-2").find("strong").text.split()) == "选举党委委员 · 第2轮（就缺额另行选举）"
    assert soup.find(id="finding-committee-shortfall") is not None
    assert soup.find(id="finding-committee-2-elected").text == "当选党委委员2名：候选人6、候选人7。"
    assert soup.find(id="outcome-committee").text == (
        "经2轮选举，共当选党委委员7名：候选人1、候选人2、候选人3、候选人4、候选人5、候选人6、候选人7，应选7名已经选足。")
    pdf = client.get(reverse("candidates:congress-vote-pdf", args=[congress.pk]))
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "选举党委委员（第2轮，就缺额另行选举）" in text
    assert "经2轮选举，共当选党委委员7名：候选人1、候选人2、候选人3、候选人4、候选人5、候选人6、候选人7，应选7名已经选足。" in text
