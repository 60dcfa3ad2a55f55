"""The kinds of election the offices run, as data: a small registry, no ORM.

A kind names its electoral unit (the village for 村民委员会; the 选区 for 人大 deputies; the Party
organisation for a village branch; the 选举单位 for township Party congress delegates), the levels whose
rounds it has (a township's round, or a county's), its posts with their seat ranges, its nomination methods,
and the class of its rule parameters with the built-in presets. The stage apps (voters, candidates, ballots,
archive, reports) serve every kind by reading these parameters; adding a kind is a module here with its
parameters and presets plus, where its law differs, a small rules module — never a copied stage app.

``Campaign.election_type`` stores a kind's ``code``; ``RulePreset.election_type`` names the kind a
preset serves, and ``RulePreset.rules`` / ``Campaign.rules`` build that kind's parameter class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Levels: whose round it is (the FK a Campaign sets).
TOWNSHIP = "township"
COUNTY = "county"
LEVEL_LABELS = {TOWNSHIP: "乡级", COUNTY: "县级"}

# Electoral units.
UNIT_VILLAGE = "village"
UNIT_DISTRICT = "district"
UNIT_PARTY_ORGANISATION = "party_organisation"  # a village Party organisation (村党支部、党总支、村党委)
UNIT_PARTY_ELECTORAL_UNIT = "party_electoral_unit"  # a township Party congress's 选举单位: one branch or several


@dataclass(frozen=True)
class Post:
    """A post elected in one unit, with the seats one unit may have for it."""

    code: str
    label: str
    seats_min: int
    seats_max: int


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    unit: str
    unit_label: str
    levels: tuple[str, ...]
    posts: tuple[Post, ...]
    nomination_methods: tuple[tuple[str, str], ...]
    parameters: Any  # the rule-parameter class: ``from_dict``, ``to_dict``, ``validate``
    presets: tuple  # ``PresetDefinition``s, created by a data migration and ``ensure_builtin_presets``
    committee_label: str
    # ``(CalendarFacts, params, *, today) -> list[CalendarItem]``: the legal calendar of one election.
    legal_calendar: Any
    # The stage apps (URL namespaces) whose election pages serve this kind's elections, and single pages
    # (view names, e.g. "ballots:voter-cards-pdf") served ahead of their app. A kind is added app by app; an election page of an app not listed answers with a clear message
    # (``villages.middleware.kind_stage_gate``) instead of a village committee's page.
    stage_apps: frozenset[str] = frozenset({"villages", "voters", "candidates", "ballots", "archive"})
    # Whether the body elected takes over from the last one with a 工作移交 (seal, accounts, assets, archives)
    # before the election is archived. Without one (人大: the deputies' credentials are reviewed), the stage
    # after voting is named by ``stage_names`` and archiving needs only the certified result.
    has_handover: bool = True
    # The 工作移交's categories with this kind's names, ``((HandoverItem.Kind value, label), …)``, the seal first
    # (archiving needs it handed over); empty: every category under its own name (a village committee's seal,
    # accounts, assets and archives, OL §20).
    handover_items: tuple[tuple[str, str], ...] = ()
    # The body elected, as the archive's pages name it (新一届村民委员会产生, 村民委员会工作移交清单).
    elected_body: str = "村民委员会"
    # How a round's number is read: 第十二届村民委员会换届选举, but 第十次党代表大会 (a congress is numbered by
    # its sessions, 次, LAW.md §4.5).
    term_word: str = "届"
    # Whether the round's number is written in words on its pages and papers (第十次党代表大会, as Party papers
    # always write a congress), or in figures (第12届村民委员会选举, as the village papers have it).
    term_in_words: bool = False
    # What certification locks, as its page and message say.
    locked_records: str = "选民、候选人、计票和结果"
    # The records the archive generates for this kind, as its page lists them (``archive.filing.generated_records``).
    archived_records: str = "选民名单、增减名单、申诉及处理决定、委托投票名单、正式候选人名单、计票结果报告单、选举结果报告单"
    # The stages and their dates this kind names its own way: ``((stage, label), …)``, ``((stage, date label), …)``.
    stage_names: tuple[tuple[str, str], ...] = ()
    stage_date_names: tuple[tuple[str, str], ...] = ()
    # Pages of the stage apps that have no meaning for this kind: ``((view names, what they are, why), …)``. Such a
    # page answers with the reason (``villages.middleware.kind_stage_gate``), and navigation hides its links.
    inapplicable_pages: tuple[tuple[tuple[str, ...], str, str], ...] = ()
    # The stages this kind's elections go through, in ``stages.STAGE_ORDER``'s order; empty: every stage. A Party
    # branch's register is never posted, so it has no 公布选民名单 and no 申诉处理完毕 (``stages.next_stages``).
    stage_sequence: tuple[str, ...] = ()
    # A unit whose seats are its round's allocation, not its own 职数 (a congress's 选举单位, LAW.md §4.5): the seats
    # as its election page says them ("应选代表") and who allocates them ("乡镇党委分配"); empty: the unit's own 职数.
    allocated_seats_label: str = ""
    seats_allocated_by: str = ""
    # Whether each election has its own election committee (村民选举委员会) whose members its page lists; a congress's
    # 选举单位 has none (the township committee leads the congress's election).
    has_election_committee: bool = True

    def inapplicable(self, view_name: str) -> tuple[str, str] | None:
        """``(what the page is, why this kind has none)`` for a page without meaning for this kind, else None."""
        for names, title, reason in self.inapplicable_pages:
            if view_name in names:
                return title, reason
        return None

    def serves_page(self, view_name: str) -> bool:
        """Whether a link to ``view_name`` belongs on this kind's pages."""
        app = view_name.split(":", 1)[0]
        return (app in self.stage_apps or view_name in self.stage_apps) and self.inapplicable(view_name) is None

    def handover_choices(self, all_choices) -> list[tuple[str, str]]:
        """The 工作移交 categories of this kind with its names (``all_choices``: the model's, in its order)."""
        if not self.handover_items:
            return list(all_choices)
        return list(self.handover_items)

    def handover_label(self, code: str, default: str) -> str:
        return dict(self.handover_items).get(code, default)

    def stage_label(self, code: str) -> str:
        from .. import stages

        return dict(self.stage_names).get(code) or stages.STAGE_LABELS[code]

    def stage_date_label(self, code: str) -> str | None:
        from .. import stages

        return dict(self.stage_date_names).get(code) or stages.STAGE_DATE_FIELDS.get(code, (None, None))[1]

    def stage_choices(self) -> list[tuple[str, str]]:
        """The stages of this kind's elections with this kind's names for them."""
        from .. import stages

        return [(code, self.stage_label(code)) for code in stages.sequence(self)]

    def rules(self, params: dict[str, Any]):
        """This kind's parameters from stored JSON (unknown keys are an error)."""
        return self.parameters.from_dict(params)

    def title(self, level: str) -> str:
        if len(self.levels) == 1:
            return self.label
        return LEVEL_LABELS[level] + self.label


def _registry() -> dict[str, Kind]:
    from .deputies import DEPUTIES
    from .party_branch import PARTY_BRANCH
    from .party_congress import PARTY_CONGRESS
    from .village_committee import VILLAGE_COMMITTEE

    return {kind.code: kind for kind in (VILLAGE_COMMITTEE, DEPUTIES, PARTY_BRANCH, PARTY_CONGRESS)}


KINDS: dict[str, Kind] = _registry()


def get_kind(code: str) -> Kind:
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"未知的选举类型：{code}") from None


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, kind.label) for kind in KINDS.values()]


def level_pairs() -> list[tuple[str, str]]:
    """Every (kind, level) a round may have: the database constraint on ``Campaign`` lists them."""
    return [(kind.code, level) for kind in KINDS.values() for level in kind.levels]


def all_presets() -> tuple:
    return tuple(definition for kind in KINDS.values() for definition in kind.presets)
