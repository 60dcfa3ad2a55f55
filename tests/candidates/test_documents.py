"""The printed candidate list: a real PDF with the CJK font embedded, the names in list order, and
as many pages as the list needs."""

import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from candidates.documents import candidate_list_pdf
from candidates.overview import candidate_board
from candidates.services import publish_candidate_list
from tests.builders import make_nominee, open_nomination

DAY = date(2027, 1, 10)

pytestmark = pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils (pdffonts) is not installed")


def poppler(tool, pdf, tmp_path, *args):
    path = tmp_path / "list.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
                          capture_output=True, text=True, check=True).stdout


def pages(pdf, tmp_path):
    info = poppler("pdfinfo", pdf, tmp_path)
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_published_list_embeds_the_cjk_font_and_prints_names_in_order(election, voters, clerk, tmp_path):
    for index, (post, votes) in enumerate([("chair", 8), ("chair", 9), ("member", 7), ("member", 6), ("member", 5)]):
        make_nominee(election=election, by=clerk, voter=voters[index], post=post, votes=votes)
    publish_candidate_list(by=clerk, election=election, published_on=DAY, mode="candidates", today=DAY)
    pdf = candidate_list_pdf(candidate_board(election, today=date(2027, 1, 10)))
    assert pdf.startswith(b"%PDF")
    fonts = poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert fonts and all("NotoSansCJK" in f.split()[0].replace("-", "") for f in fonts)  # e.g. ABCDEF+Noto-Sans-CJK-SC
    assert all(f.split()[-5] == "yes" for f in fonts)  # embedded
    assert pages(pdf, tmp_path) == 1
    text = poppler("pdftotext", pdf, tmp_path, "-layout")
    assert "正式候选人名单" in text and "按提名得票多少排序" in text and "2027年1月10日" in text
    assert text.index("李伟") < text.index("王伟") < text.index("张伟") < text.index("刘伟") < text.index("陈伟")
    assert "草稿" not in text


def test_published_list_is_announcement_no_3_with_the_committees_seal_area(election, voters, clerk, tmp_path):
    voters[0].name = "阿卜杜热合曼·买买提明·艾则孜江"
    voters[0].save(update_fields=["name"])
    for index, (post, votes) in enumerate([("chair", 8), ("chair", 9), ("member", 7), ("member", 6), ("member", 5)]):
        make_nominee(election=election, by=clerk, voter=voters[index], post=post, votes=votes)
    publish_candidate_list(by=clerk, election=election, published_on=DAY, mode="candidates", today=DAY)
    pdf = candidate_list_pdf(candidate_board(election, today=DAY))
    flat = "".join(poppler("pdftotext", pdf, tmp_path).split())
    assert flat.startswith(f"{election.village.name}村民选举委员会公告（第3号）")
    assert "（盖章处）" in flat
    assert any(voters[0].name in line for line in poppler("pdftotext", pdf, tmp_path, "-layout").splitlines())


def test_long_draft_list_runs_over_several_pages_and_is_marked_draft(election_a, clerk, tmp_path):
    people = open_nomination(election=election_a, by=clerk, voters=80)
    election_a.refresh_from_db()
    for index, voter in enumerate(people):
        make_nominee(election=election_a, by=clerk, voter=voter, post="chair" if index < 3 else "member", votes=100 - index)
    pdf = candidate_list_pdf(candidate_board(election_a, today=date(2027, 1, 5)))
    assert pages(pdf, tmp_path) >= 2
    text = poppler("pdftotext", pdf, tmp_path)
    assert "草稿 · 未公布" in text and "第2页共" in text.replace(" ", "")


def test_no_candidate_election_prints_a_notice_instead_of_names(election, voters, clerk, tmp_path):
    make_nominee(election=election, by=clerk, voter=voters[0], post="chair", votes=8)
    publish_candidate_list(by=clerk, election=election, published_on=DAY, mode="no_candidate", today=DAY)
    text = poppler("pdftotext", candidate_list_pdf(candidate_board(election, today=date(2027, 1, 10))), tmp_path)
    assert "无候选人直接选举（海选）" in text and "王伟" not in text


def test_pdf_download_is_a_named_pdf(client, supervisor, election, voters, clerk):
    make_nominee(election=election, by=clerk, voter=voters[0], post="chair", votes=8)
    client.force_login(supervisor)
    response = client.get(reverse("candidates:candidate-list-pdf", args=[election.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''%E4%B8%9C%E5%B1%B1%E6%9D%91" in response["Content-Disposition"]  # 东山村…
    assert response.content.startswith(b"%PDF")
