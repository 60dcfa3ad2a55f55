from .counting import BallotCount, CountedBallot
from .party import CommitteePostVote, ShortfallDecision
from .results import DEFAULT_SIGNATURE_LABELS, CountingOptions, ElectedMember, VoidDecision
from .rounds import Round, RoundCandidate
from .stations import MobileBoxVoter, PollingStation
from .tallies import PostTally, Tally, VoteCount, WriteIn, WriteInRuling

__all__ = [
    "BallotCount",
    "CommitteePostVote",
    "CountedBallot",
    "DEFAULT_SIGNATURE_LABELS",
    "CountingOptions",
    "ElectedMember",
    "MobileBoxVoter",
    "PollingStation",
    "PostTally",
    "Round",
    "RoundCandidate",
    "ShortfallDecision",
    "Tally",
    "VoidDecision",
    "VoteCount",
    "WriteIn",
    "WriteInRuling",
]
