"""Writes of the reports app: importing rosters."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from villages.audit import log_action
from villages.models import User, Village
from voters.workbook import WorkbookRejected

from .models import Roster, RosterMember
from .rosters import parse_roster


class RosterProblems(ValidationError):
    """The workbook has row problems; ``rows`` lists (row, column, message) for the error table."""

    def __init__(self, rows):
        self.rows = rows
        super().__init__(f"名册中有{len(rows)}处问题，未导入任何数据。请按下表修改后重新上传。", code="roster_rows")


def import_roster(
    *, by: User, village: Village, kind: str, term_number: int, source, filename: str, today: date
) -> Roster:
    """Import (or replace) one roster; every row is checked before one short write."""
    try:
        parsed = parse_roster(source, filename=filename, branch=kind == Roster.Kind.PARTY_BRANCH, today=today)
    except WorkbookRejected as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
    if parsed.problems:
        raise RosterProblems(parsed.problems)
    with transaction.atomic():
        roster, created = Roster.objects.select_for_update().get_or_create(
            village=village, kind=kind, term_number=term_number, defaults={"imported_by": by, "source_filename": filename}
        )
        replaced = 0 if created else roster.members.all().delete()[0]
        roster.imported_by, roster.source_filename = by, filename
        roster.save(update_fields=["imported_by", "source_filename"])
        RosterMember.objects.bulk_create(RosterMember(roster=roster, **vars(m)) for m in parsed.members)
        log_action(
            by=by,
            action="reports.roster.imported",
            obj=roster,
            changes={"members": [replaced or None, len(parsed.members)]},
        )
    return roster
