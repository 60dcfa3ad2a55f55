"""Management commands that write an election's records refuse a certified one.

Of the commands that write (grep of */management/commands): ``import_voters`` is the only one that
changes one election's records; ``bench_import`` works on a throwaway database, ``load_demo``,
``backup_db`` and ``restore_db`` act on the whole database, not on one election.
"""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.voters import workbooks as wb
from villages.access import CERTIFIED
from villages.models import Election
from voters.models import ImportJob, Voter


def test_import_voters_refuses_certified_election(tmp_path, election_a, admin_user):
    Election.objects.filter(pk=election_a.pk).update(certified_at=timezone.now())
    path = wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(1)])
    with pytest.raises(CommandError) as exc:
        call_command("import_voters", str(election_a.pk), str(path))
    assert str(exc.value) == CERTIFIED
    assert Voter.objects.count() == 0 and ImportJob.objects.count() == 0
