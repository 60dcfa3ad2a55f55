"""The archive's rules without the database: retention periods and accepted scans (archive/records.py)."""

from datetime import date

import pytest

from archive import records
from archive.models import DocumentKind, RetentionClass

MB = 1024 * 1024


@pytest.mark.parametrize(
    "retention,filed_on,expected",
    [
        ("permanent", date(2027, 1, 20), None),
        ("30y", date(2027, 1, 20), date(2057, 12, 31)),  # counted from 1 January of the next year
        ("30y", date(2027, 12, 31), date(2057, 12, 31)),
        ("10y", date(2027, 1, 1), date(2037, 12, 31)),
        ("10y", date(2028, 2, 29), date(2038, 12, 31)),
    ],
)
def test_retain_until(retention, filed_on, expected):
    assert records.retain_until(retention, filed_on) == expected


@pytest.mark.parametrize(
    "retention,until,today,allowed",
    [
        ("10y", date(2037, 12, 31), date(2037, 12, 31), False),  # the last day of the period: still kept
        ("10y", date(2037, 12, 31), date(2038, 1, 1), True),
        ("30y", date(2057, 12, 31), date(2040, 6, 1), False),
        ("permanent", None, date(2999, 1, 1), False),
    ],
)
def test_may_destroy_only_after_the_period(retention, until, today, allowed):
    assert records.may_destroy(retention, until, today) is allowed


def test_default_table_covers_every_kind_with_law_section_6_classes():
    assert set(records.DEFAULT_RETENTION) == set(DocumentKind.values)
    classes = {kind: retention for kind, (retention, _) in records.DEFAULT_RETENTION.items()}
    # LAW.md §6: final lists, count records and results are permanent; process papers 30 years; ballots 10.
    for kind in ("voter_list", "candidate_list", "tally_sheet", "results_report", "certificate", "handover"):
        assert classes[kind] == RetentionClass.PERMANENT
    for kind in ("appeals", "proxy_list", "nomination", "complaint"):
        assert classes[kind] == RetentionClass.YEARS_30
    assert classes["ballots"] == classes["working_papers"] == RetentionClass.YEARS_10


@pytest.mark.parametrize(
    "name,head,content_type",
    [
        ("结果报告单.pdf", b"%PDF-1.7\n", "application/pdf"),
        ("证书.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        ("scan.png", b"\x89PNG\r\n\x1a\n\x00", "image/png"),
        ("scan.tif", b"II*\x00\x08\x00", "image/tiff"),
        ("scan.tiff", b"MM\x00*\x00\x00", "image/tiff"),
    ],
)
def test_accepted_scans(name, head, content_type):
    assert records.check_upload(name, head, 1000, max_bytes=MB).content_type == content_type


@pytest.mark.parametrize(
    "name,head,size,message",
    [
        ("报告.pdf", b"", 0, "上传的文件是空的"),
        ("报告.pdf", b"%PDF-1.7", 31 * MB, "超过上限 30 MB"),
        ("名单.xlsx", b"PK\x03\x04", 1000, "只接受 PDF、JPEG、PNG、TIFF 格式"),
        ("病毒.pdf", b"MZ\x90\x00", 1000, "只接受 PDF、JPEG、PNG、TIFF 格式"),
        ("扫描.pdf", b"\xff\xd8\xff\xe0", 1000, "文件内容是 JPEG，但文件名“扫描.pdf”的扩展名不符；请改为 .jpg"),
    ],
)
def test_refused_scans_say_why(name, head, size, message):
    with pytest.raises(records.UploadRejected) as caught:
        records.check_upload(name, head, size, max_bytes=30 * MB)
    assert message in caught.value.message
