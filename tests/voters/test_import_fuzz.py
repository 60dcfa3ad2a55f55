"""Fuzz: 1,000 generated malformed and hostile workbooks (``voters.fuzz``) through the real import
service, in a child process whose memory is limited and measured (issue 14, "Untrusted workbooks").

Each file must end in a Chinese message or a preview (clean, or with its row errors listed), with no
unexpected exception, no voter written and the child alive; every bomb must be refused. The limits
are the test's small ones (``voters.fuzz.TEST_LIMITS``) so that small files can pass them; the
longer run with the default limits and larger bombs is ``manage.py bench_fuzz`` (``make bench``).
"""

from collections import Counter

import pytest

from voters import fuzz
from voters.models import ImportJob, Voter

SAMPLES = 1000
SEED = 14
# The child may grow by this much over what it inherits; past ADDRESS_SPACE more it cannot allocate
# at all (calamine aborts the process when an allocation fails: that would show as a lost child).
RSS_CEILING_MB = 300
ADDRESS_SPACE = 1536 * 1024 * 1024


@pytest.fixture
def small_limits(settings):
    for name, value in fuzz.TEST_LIMITS.items():
        setattr(settings, name, value)


def test_hostile_workbooks_end_in_a_message_or_a_preview_within_bounded_memory(small_limits, election_a, clerk):
    samples = list(fuzz.hostile_workbooks(SEED, SAMPLES))
    assert len(samples) >= 1000 and {s.kind for s in samples} >= {k(__import__("random").Random(0), 1).kind
                                                                 for k in fuzz.KINDS}

    def run():
        outcomes = fuzz.run_samples(samples, election=election_a, by=clerk)
        return outcomes, Voter.objects.count(), ImportJob.objects.filter(state__in=("queued", "parsing")).count()

    result, child = fuzz.in_child(run, address_space=ADDRESS_SPACE)

    assert child["exitcode"] == 0 and result is not None, f"the child process was lost: {child}"
    outcomes, voters, open_jobs = result
    problems = [(o.kind, o.problem) for o in outcomes if o.problem]
    assert problems == []
    assert voters == 0
    assert open_jobs == 0  # none left 正在检查
    assert Counter(o.outcome for o in outcomes)["refused"] >= sum(s.must_refuse for s in samples)
    assert child["peak_rss_mb"] - child["start_rss_mb"] < RSS_CEILING_MB, child
