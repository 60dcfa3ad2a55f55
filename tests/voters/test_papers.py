"""委托书 and 委托投票证 for approved proxies (voters.papers)."""

import os
import re
import subprocess
from datetime import date

from django.urls import reverse

from tests.builders import make_voter
from villages.models import AuditEntry
from voters import documents, papers
from voters.models import Proxy


def text_of(content: bytes, tmp_path, *args) -> str:
    path = tmp_path / "proxies.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_one_sheet_per_approved_proxy_numbered_as_on_the_proxy_list(client, supervisor, election_a, tmp_path):
    principal = make_voter(election=election_a, name="赵小芳", sex="F", serial=1, away=True)
    holder = make_voter(election=election_a, name="阿卜杜热合曼·买买提明", serial=2)
    other_principal = make_voter(election=election_a, name="丁二", serial=3, away=True)
    other_holder = make_voter(election=election_a, name="丁一", serial=4)
    pending = make_voter(election=election_a, name="钱未批", serial=5, away=True)
    Proxy.objects.create(election=election_a, principal=principal, holder=holder, relation="spouse",
                         authorized_on=date(2027, 1, 3), status="approved", document_ref="WT-7")
    Proxy.objects.create(election=election_a, principal=other_principal, holder=other_holder, relation="child",
                         authorized_on=date(2027, 1, 4), status="approved")
    Proxy.objects.create(election=election_a, principal=pending, holder=other_holder, relation="child",
                         authorized_on=date(2027, 1, 4))

    sheets = papers.proxy_papers(election_a)
    assert [(p.number, p.holder) for p in sheets] == [(str(r.number).zfill(3), r.holder) for r in documents.proxy_rows(election_a)]
    assert [p.holder for p in sheets] == ["丁一", "阿卜杜热合曼·买买提明"]  # 2 strokes before 7

    client.force_login(supervisor)
    response = client.get(reverse("voters:proxy-certificates-pdf", args=[election_a.pk]))
    assert response.status_code == 200
    content = response.content
    if os.environ.get("PAPERS_PNG_DIR"):
        with open(os.path.join(os.environ["PAPERS_PNG_DIR"], "proxy_certificates.pdf"), "wb") as handle:
            handle.write(content)
    flat = re.sub(r"\s+", "", text_of(content, tmp_path))
    assert flat.count("委托书") == 2 + 2 and flat.count("委托投票证") == 2  # title and "委托书编号" per sheet
    assert "我的配偶阿卜杜热合曼·买买提明" in flat and "WT-7" in flat and "No.002" in flat
    assert "钱未批" not in flat
    assert principal.id_number not in flat and principal.masked_id_number in flat
    assert any("阿卜杜热合曼·买买提明" in line for line in text_of(content, tmp_path, "-layout").splitlines())
    assert AuditEntry.objects.filter(action="voters.proxy_certificates.printed").count() == 1
