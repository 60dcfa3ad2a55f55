"""Rules of the election archive, without the database: the default retention table, when a period
ends, and which uploaded files are accepted (LAW.md §6; DOMAIN.md "Archive retention").

Periods are counted the archival way: a fixed-term record filed in year Y is kept for N full years
from 1 January of Y + 1, i.e. until 31 December of Y + N (国家档案局 practice: 保管期限从文件形成的
次年1月1日起算). Permanent records have no end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import DocumentKind, RetentionClass

K, R = DocumentKind, RetentionClass

YEARS = {R.YEARS_30: 30, R.YEARS_10: 10}

# The default table, LAW.md §6 "Recommended default retention classes" [U]: results, lists and decisions
# that fix who could vote, who stood and who was elected are permanent (乡镇档案工作办法 1.2.1); the papers
# of the process 30 years; working papers 10 years. Ballots: at least 3 years (Henan Art. 37) and until the
# next election is finished (Shanghai Art. 23); 10 years covers both for a 5-year term.
DEFAULT_RETENTION: dict[str, tuple[str, str]] = {
    K.VOTER_LIST: (R.PERMANENT, "LAW.md §6：最终选民名单，永久"),
    K.AMENDMENTS: (R.PERMANENT, "LAW.md §6：与选民名单一并构成最终选民名单，永久"),
    K.APPEALS: (R.YEARS_30, "LAW.md §6：申诉材料及处理决定，30年"),
    K.PROXY_LIST: (R.YEARS_30, "LAW.md §6：委托书及委托投票名单，30年"),
    K.CANDIDATE_LIST: (R.PERMANENT, "LAW.md §6：正式候选人名单，永久"),
    K.TALLY_SHEET: (R.PERMANENT, "LAW.md §6：计票结果记录，永久"),
    K.RESULTS_REPORT: (R.PERMANENT, "LAW.md §6：选举结果报告单及当选名单，永久"),
    K.UPPER_REPORT: (R.PERMANENT, "LAW.md §6：选举结果及报上级的请示、批复，永久（乡镇档案工作办法1.2.1）"),
    K.ELECTION_PLAN: (R.PERMANENT, "LAW.md §6：选举工作方案及请示批复，永久"),
    K.COMMITTEE: (R.PERMANENT, "LAW.md §6：村民选举委员会组成，永久"),
    K.CERTIFICATE: (R.PERMANENT, "LAW.md §6：当选证书，永久"),
    K.HANDOVER: (R.PERMANENT, "LAW.md §6：工作移交记录，永久"),
    K.NOMINATION: (R.YEARS_30, "LAW.md §6：提名材料，30年"),
    K.MOBILE_BOX: (R.YEARS_30, "LAW.md §6：流动票箱名单及记录，30年"),
    K.COMPLAINT: (R.YEARS_30, "LAW.md §6：与选举有关的信访材料，30年"),
    K.BALLOTS: (R.YEARS_10, "LAW.md §6：选票至少保存3年（河南第37条）且至下届选举结束（上海第23条）"),
    K.WORKING_PAPERS: (R.YEARS_10, "LAW.md §6：工作底稿、宣传材料，10年"),
}


def retain_until(retention: str, filed_on: date) -> date | None:
    """The last day a record filed on ``filed_on`` must be kept; None for permanent records."""
    if retention == R.PERMANENT:
        return None
    return date(filed_on.year + YEARS[retention], 12, 31)


def may_destroy(retention: str, until: date | None, today: date) -> bool:
    """A record may be destroyed only after its period has ended, never when it is permanent."""
    return retention != R.PERMANENT and until is not None and today > until


# --- Uploaded scans ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]
    magic: tuple[bytes, ...]


ACCEPTED_TYPES = (
    FileType("PDF", "application/pdf", (".pdf",), (b"%PDF-",)),
    FileType("JPEG", "image/jpeg", (".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
    FileType("PNG", "image/png", (".png",), (b"\x89PNG\r\n\x1a\n",)),
    FileType("TIFF", "image/tiff", (".tif", ".tiff"), (b"II*\x00", b"MM\x00*")),
)
ACCEPTED_LABEL = "、".join(t.label for t in ACCEPTED_TYPES)


class UploadRejected(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_upload(filename: str, head: bytes, size: int, *, max_bytes: int) -> FileType:
    """The type of an uploaded scan, judged by its bytes and its name; a Chinese reason when refused."""
    if size == 0:
        raise UploadRejected("上传的文件是空的，请重新选择文件。")
    if size > max_bytes:
        raise UploadRejected(
            f"文件大小为 {size / 1024 / 1024:.1f} MB，超过上限 {max_bytes / 1024 / 1024:.0f} MB；"
            "请降低扫描分辨率（建议 300 dpi 黑白或灰度）或分册上传。"
        )
    name = filename.lower()
    by_bytes = next((t for t in ACCEPTED_TYPES if head.startswith(t.magic)), None)
    if by_bytes is None:
        raise UploadRejected(f"只接受 {ACCEPTED_LABEL} 格式的扫描件；该文件的内容不是这几种格式之一。")
    if not name.endswith(by_bytes.extensions):
        raise UploadRejected(
            f"文件内容是 {by_bytes.label}，但文件名“{filename}”的扩展名不符；请改为 {by_bytes.extensions[0]} 后重新上传。"
        )
    return by_bytes
