"""The proposal channels as data: one `ChannelSpec` per channel in the registry `CHANNELS`.

Why: what a channel is (who may submit it, which fields it needs, where it enters the cycle,
the letters of its number) used to be spelled out in a dozen modules. Here it is written once;
the lifecycle, the scope rules, the entry checks, the web form, the import and the demo read it.
Adding a channel is a `Channel` member with its label (`domain.proposals`) plus one entry here;
the import template columns (`formats.proposal_columns`) only if the channel can be imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from selaras.domain.proposals import CHANNEL_LABELS, Channel, Stage
from selaras.domain.roles import Role

__all__ = ["ChannelSpec", "CHANNELS", "spec", "channels_for_role", "IMPORT_CHANNELS", "ENTRY_FIELDS"]

#: Fields every proposal needs, whatever its channel.
ENTRY_FIELDS: tuple[str, ...] = ("title", "volume", "unit", "estimated_cost")

#: Bappeda and the administrator enter proposals of every channel.
_WHOLE_GOVERNMENT = frozenset({Role.PLANNING_AGENCY, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    """What one channel is.

    `required` names the place/owner fields the channel needs besides `ENTRY_FIELDS`
    (`district_code` is met by a village code, whose kecamatan it is). `entry_stage` is where
    the `submitted` decision is recorded, `stage_after_entry` the stage that decides next.
    """

    channel: Channel
    prefix: str  # two letters in the proposal number, e.g. 3216-2027-MD-000012
    submitters: frozenset[Role]
    required: tuple[str, ...]
    entry_stage: Stage
    stage_after_entry: Stage
    importable: bool = True  # has an import template

    @property
    def label(self) -> str:
        """The channel's Bahasa Indonesia name (its text lives with the vocabulary)."""
        return CHANNEL_LABELS[self.channel]

    def may_submit(self, role: Role) -> bool:
        return role in self.submitters


def _spec(channel: Channel, prefix: str, submitters: set[Role], required: tuple[str, ...], entry: Stage,
          after: Stage, importable: bool = True) -> ChannelSpec:
    return ChannelSpec(channel, prefix, frozenset(submitters) | _WHOLE_GOVERNMENT, required, entry, after,
                       importable)


_SPECS = (
    _spec(Channel.VILLAGE_MUSRENBANG, "MD", {Role.VILLAGE_OPERATOR, Role.DISTRICT_OPERATOR}, ("village_code",),
          Stage.VILLAGE, Stage.DISTRICT),
    _spec(Channel.DISTRICT_MUSRENBANG, "MK", {Role.DISTRICT_OPERATOR}, ("district_code",),
          Stage.DISTRICT, Stage.AGENCY_FORUM),
    _spec(Channel.AGENCY_FORUM, "FP", set(), (), Stage.AGENCY_FORUM, Stage.AGENCY_FORUM, importable=False),
    _spec(Channel.REGENCY_MUSRENBANG, "MR", set(), (), Stage.REGENCY, Stage.AGENCY_VERIFICATION,
          importable=False),
    _spec(Channel.POKIR, "PK", {Role.COUNCILLOR}, ("councillor_name",),
          Stage.POKIR_SUBMISSION, Stage.AGENCY_VERIFICATION),
    _spec(Channel.AGENCY_DRAFT, "PR", {Role.AGENCY_PLANNER}, ("agency",), Stage.AGENCY_FORUM, Stage.AGENCY_FORUM),
    _spec(Channel.ASPIRATION, "AS", set(), (), Stage.REGENCY, Stage.AGENCY_VERIFICATION),
)

#: The registry, in the order channels are listed on forms and in the import.
CHANNELS: Mapping[Channel, ChannelSpec] = MappingProxyType({s.channel: s for s in _SPECS})

#: Channels with an import template, in the order they are offered.
IMPORT_CHANNELS: tuple[Channel, ...] = tuple(c for c, s in CHANNELS.items() if s.importable)


def spec(channel: Channel | str) -> ChannelSpec:
    """The spec of a channel; raises ValueError for an unknown value."""
    return CHANNELS[Channel(channel)]


def channels_for_role(role: Role) -> list[Channel]:
    """The channels a role may enter proposals in, in registry order."""
    return [c for c, s in CHANNELS.items() if s.may_submit(role)]
