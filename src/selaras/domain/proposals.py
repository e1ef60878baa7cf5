"""Proposal lifecycle vocabulary: channels, stages, decision outcomes."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Channel", "Stage", "Outcome", "ProposalStatus", "OUTCOME_STATUS"]


class Channel(StrEnum):
    """Where a proposal entered the cycle (glossary: usulan per jalur)."""

    VILLAGE_MUSRENBANG = "musrenbang_village"
    DISTRICT_MUSRENBANG = "musrenbang_district"
    AGENCY_FORUM = "agency_forum"
    REGENCY_MUSRENBANG = "musrenbang_regency"
    POKIR = "pokir"
    AGENCY_DRAFT = "agency_draft"
    ASPIRATION = "aspiration"


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.VILLAGE_MUSRENBANG: "Musrenbang Desa/Kelurahan",
    Channel.DISTRICT_MUSRENBANG: "Musrenbang Kecamatan",
    Channel.AGENCY_FORUM: "Forum Perangkat Daerah",
    Channel.REGENCY_MUSRENBANG: "Musrenbang Kabupaten/Kota",
    Channel.POKIR: "Pokok-pokok Pikiran DPRD",
    Channel.AGENCY_DRAFT: "Pra-Renja Perangkat Daerah",
    Channel.ASPIRATION: "Aspirasi Masyarakat",
}


class Stage(StrEnum):
    """A step of the cycle at which a proposal receives a decision."""

    VILLAGE = "village"
    DISTRICT = "district"
    AGENCY_FORUM = "agency_forum"
    AGENCY_VERIFICATION = "agency_verification"
    REGENCY = "regency"
    POKIR_SUBMISSION = "pokir_submission"
    BUDGET_TEAM = "budget_team"


STAGE_LABELS: dict[Stage, str] = {
    Stage.VILLAGE: "Musrenbang Desa/Kelurahan",
    Stage.DISTRICT: "Musrenbang Kecamatan",
    Stage.AGENCY_FORUM: "Forum Perangkat Daerah",
    Stage.AGENCY_VERIFICATION: "Verifikasi Perangkat Daerah",
    Stage.REGENCY: "Musrenbang Kabupaten/Kota",
    Stage.POKIR_SUBMISSION: "Penyampaian Pokir DPRD",
    Stage.BUDGET_TEAM: "Tim Anggaran (TAPD)",
}


class Outcome(StrEnum):
    """Decision outcomes (glossary: Diterima, Diterima dengan perubahan, ...)."""

    SUBMITTED = "submitted"
    FORWARDED = "forwarded"
    ACCEPTED = "accepted"
    ACCEPTED_WITH_CHANGES = "accepted_with_changes"
    MERGED = "merged"
    POSTPONED = "postponed"
    REJECTED = "rejected"
    RETURNED = "returned"


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.SUBMITTED: "Diajukan",
    Outcome.FORWARDED: "Diteruskan",
    Outcome.ACCEPTED: "Diterima",
    Outcome.ACCEPTED_WITH_CHANGES: "Diterima dengan perubahan",
    Outcome.MERGED: "Digabungkan",
    Outcome.POSTPONED: "Ditunda",
    Outcome.REJECTED: "Ditolak",
    Outcome.RETURNED: "Dikembalikan untuk perbaikan",
}


class ProposalStatus(StrEnum):
    """The current status of a proposal, derived from its latest decision."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    ACCEPTED = "accepted"
    MERGED = "merged"
    POSTPONED = "postponed"
    REJECTED = "rejected"
    RETURNED = "returned"


STATUS_LABELS: dict[ProposalStatus, str] = {
    ProposalStatus.DRAFT: "Draf",
    ProposalStatus.IN_REVIEW: "Dalam proses",
    ProposalStatus.ACCEPTED: "Diterima",
    ProposalStatus.MERGED: "Digabungkan",
    ProposalStatus.POSTPONED: "Ditunda",
    ProposalStatus.REJECTED: "Ditolak",
    ProposalStatus.RETURNED: "Dikembalikan",
}

OUTCOME_STATUS: dict[Outcome, ProposalStatus] = {
    Outcome.SUBMITTED: ProposalStatus.IN_REVIEW,
    Outcome.FORWARDED: ProposalStatus.IN_REVIEW,
    Outcome.ACCEPTED: ProposalStatus.ACCEPTED,
    Outcome.ACCEPTED_WITH_CHANGES: ProposalStatus.ACCEPTED,
    Outcome.MERGED: ProposalStatus.MERGED,
    Outcome.POSTPONED: ProposalStatus.POSTPONED,
    Outcome.REJECTED: ProposalStatus.REJECTED,
    Outcome.RETURNED: ProposalStatus.RETURNED,
}
