"""Apply a selection run to the proposals: one append-only decision per affected proposal.

Bappeda decides at the Musrenbang Kabupaten/Kota stage (`Stage.REGENCY`), so applying a run
records, for every proposal the run judged and that awaits that stage (or whose last decision was
taken there and may still be corrected):

- selected by the run: `accepted`;
- eligible but not selected: `postponed` to the next year (default), `rejected`, or nothing;
- not eligible in the run: nothing (the run did not weigh it).

Every decision cites the run and the run's reason for that proposal ("Hasil seleksi #12 (Metode
Bagi Rata): Dipilih pada putaran 5 ..."), carries the acting user and role, and is marked in its
internal note with the application (`Penerapan seleksi #3`), so that a later application can
tell its own decisions from decisions taken by hand.

The rules are the decision service's (`web/proposals/services.py`, not changed here): who may
decide at the stage (`permissions.check_can`), the stage window (`windows.ensure_stage_open`),
and the lifecycle (`domain.lifecycle.replay` of each proposal's log plus the new decision; a
proposal the rules refuse is skipped with its reason). Decisions are inserted in bulk
(`proposals.bulk.BulkWriter.add_decisions`), stage and status are set from the replayed state,
and one change-history row is written per changed proposal, as `services.decide` does. A
proposal that would enter the Renja without a Renja line yet goes through `services.decide`
itself (it creates the line).

Never two contradicting decisions by accident: at most one application is in force per
government and year. Applying the same run again is refused; applying another run is refused
unless it names the application it replaces, and then only proposals whose outcome changes get a
new decision (a correction at the same stage). Decisions taken by hand at the stage are never
overridden: those proposals are skipped and listed.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from selaras.domain import lifecycle
from selaras.domain.errors import Conflict, InvalidInput, NotPermitted
from selaras.domain.proposals import OUTCOME_LABELS, STAGE_LABELS, Channel, Outcome, Stage
from selaras.domain.selection import ReasonCode
from selaras.web.columns import column_names
from selaras.web.http import AnyUser
from selaras.web.plans.budgets import refresh_budgets_from_proposals
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals import services as proposal_services
from selaras.web.proposals.audit import actor_role_label
from selaras.web.proposals.bulk import BulkWriter
from selaras.web.proposals.models import Decision, Proposal
from selaras.web.proposals.permissions import check_can
from selaras.web.proposals.windows import ensure_stage_open
from selaras.web.selection.models import RunApplication, RunKind, SelectionRun, UnselectedOutcome
from selaras.web.selection.selectors import district_names, outcome_reason, run_outcomes

__all__ = ["ApplyPlan", "plan", "apply_run", "in_force", "may_apply", "STAGE", "MARK", "SKIP_LABELS"]

STAGE = Stage.REGENCY
MARK = "Penerapan seleksi #"
CHUNK = 2_000

#: Why a judged proposal gets no decision (Bahasa Indonesia, for the preview).
SKIP_LABELS: dict[str, str] = {
    "ineligible": "tidak memenuhi syarat dalam seleksi (tidak dinilai)",
    "no_decision": "tidak terpilih; penerapan ini tidak memutus usulan yang tidak terpilih",
    "not_at_stage": "belum atau tidak lagi menunggu keputusan Musrenbang Kabupaten/Kota",
    "unchanged": "keputusan di Musrenbang Kabupaten/Kota sudah sama",
    "decided_by_hand": "sudah diputus langsung di Musrenbang Kabupaten/Kota (tidak ditimpa)",
    "refused": "ditolak aturan alur usulan",
    "gone": "usulan sudah tidak ada atau pindah tahun",
}

Progress = Callable[[str, int, int], None]


@dataclass
class ApplyPlan:
    """What applying a run would do: per proposal the decision, and counts for the preview."""

    run: SelectionRun
    unselected: str
    replaces: RunApplication | None
    decisions: dict[int, tuple[Outcome, str]] = field(default_factory=dict)  # proposal id -> (outcome, reason)
    via_service: set[int] = field(default_factory=set)  # need a Renja line: services.decide
    new_state: dict[int, lifecycle.State] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    hand_decided: list[int] = field(default_factory=list)
    by_agency: list[dict[str, Any]] = field(default_factory=list)
    by_district: list[dict[str, Any]] = field(default_factory=list)
    judged: int = 0

    @property
    def outcome_counts(self) -> dict[str, int]:
        counts = Counter(outcome.value for outcome, _ in self.decisions.values())
        return {OUTCOME_LABELS[Outcome(k)]: v for k, v in sorted(counts.items())}

    @property
    def skipped_rows(self) -> list[tuple[str, int]]:
        return [(SKIP_LABELS.get(k, k), n) for k, n in self.skipped.most_common()]


def in_force(government: LocalGovernment | int, year: int) -> RunApplication | None:
    """The application in force for a government and year (the latest one not replaced)."""
    gid = getattr(government, "pk", government)
    return (RunApplication.objects.filter(government_id=gid, year=year, replaced_by__isnull=True)
            .select_related("run").order_by("-created_at", "-id").first())


def _check(user: AnyUser | None, run: SelectionRun) -> None:
    if run.kind != RunKind.RUN:
        raise InvalidInput("Simulasi pagu tidak dapat diterapkan; jalankan sebagai seleksi lebih dulu.")
    check_can(user, "decide", government=run.government_id, stage=STAGE)


def _target(selected: bool, code: str, unselected: str) -> Outcome | None:
    if selected:
        return Outcome.ACCEPTED
    if code == ReasonCode.REJECTED_INELIGIBLE.value:
        return None
    if unselected == UnselectedOutcome.POSTPONED:
        return Outcome.POSTPONED
    if unselected == UnselectedOutcome.REJECTED:
        return Outcome.REJECTED
    return None


def plan(run: SelectionRun, *, unselected: str = UnselectedOutcome.POSTPONED,
         replaces: RunApplication | None = None, progress: Progress | None = None) -> ApplyPlan:
    """Work out every decision applying `run` would record (nothing is written)."""
    if unselected not in UnselectedOutcome.values:
        raise InvalidInput("Pilihan keputusan untuk usulan yang tidak terpilih tidak dikenal.")
    report = progress or (lambda phase, done, total: None)
    outcomes = run_outcomes(run)
    result = ApplyPlan(run=run, unselected=unselected, replaces=replaces, judged=len(outcomes))
    code_names = outcomes.codes
    targets: dict[int, Outcome] = {}
    pids = outcomes.proposal_ids.tolist()
    selected = outcomes.selected.tolist()
    codes = outcomes.code.tolist()
    for i, pid in enumerate(pids):
        target = _target(selected[i], code_names[codes[i]], unselected)
        if target is None:
            result.skipped["ineligible" if code_names[codes[i]] == ReasonCode.REJECTED_INELIGIBLE.value
                           else "no_decision"] += 1
        else:
            targets[pid] = target
    report("Membaca usulan", 0, len(targets))
    rows = (Proposal.objects.filter(government_id=run.government_id, year=run.year)
            .values_list("id", "channel", "stage", "status", "agency_id", "district_code", "renja_line_id"))
    current: dict[int, tuple[Any, ...]] = {r[0]: r for r in rows}
    # only proposals at the stage, or just past it (its decision may be corrected), need their logs
    near = [pid for pid in targets if pid in current and current[pid][2] in (STAGE.value, Stage.BUDGET_TEAM.value)]
    for pid in targets:
        if pid not in current:
            result.skipped["gone"] += 1
        elif current[pid][2] not in (STAGE.value, Stage.BUDGET_TEAM.value):
            result.skipped["not_at_stage"] += 1
    logs: dict[int, list[tuple[Stage, Outcome, str]]] = defaultdict(list)
    for start in range(0, len(near), CHUNK):
        part = near[start:start + CHUNK]
        for pid, stage, outcome, note in (Decision.objects.filter(proposal_id__in=part).order_by("id")
                                          .values_list("proposal_id", "stage", "outcome", "internal_note")):
            logs[pid].append((Stage(stage), Outcome(outcome), note))
        report("Memeriksa alur usulan", start + len(part), len(near))
    own_marks = _marks(replaces)
    reason_of = _reasons(run, outcomes)
    for pid in near:
        target = targets[pid]
        log = logs[pid]
        channel = Channel(current[pid][1])
        last = log[-1] if log else None
        if last is not None and last[0] is STAGE and last[1] is not Outcome.SUBMITTED:
            if not last[2].startswith(own_marks):
                result.skipped["decided_by_hand"] += 1
                result.hand_decided.append(pid)
                continue
            if last[1] is target:
                result.skipped["unchanged"] += 1
                continue
        try:
            state = lifecycle.replay(channel, [(s, o) for s, o, _ in log] + [(STAGE, target)])
        except InvalidInput:
            result.skipped["refused"] += 1
            continue
        result.decisions[pid] = (target, reason_of(pid))
        result.new_state[pid] = state
        if lifecycle.in_renja(state) and current[pid][6] is None:
            result.via_service.add(pid)
    _summaries(result, current)
    return result


def _marks(replaces: RunApplication | None) -> tuple[str, ...]:
    """Internal-note prefixes of decisions an application may correct: those of the one it replaces
    (and of the applications that one replaced)."""
    marks: list[str] = []
    seen = 0
    while replaces is not None and seen < 100:
        marks.append(f"{MARK}{replaces.pk} ")
        replaces = replaces.replaces
        seen += 1
    return tuple(marks) or ("\0",)


def _reasons(run: SelectionRun, outcomes: Any) -> Callable[[int], str]:
    head = f"Hasil seleksi #{run.pk} ({run.rule_label})"
    index = {int(p): i for i, p in enumerate(outcomes.proposal_ids.tolist())}

    def reason(pid: int) -> str:
        record = outcomes.record(index[pid])
        return f"{head}: {outcome_reason(record.reason_code, record.reason_params, run.government_id)}"

    return reason


def _summaries(result: ApplyPlan, current: dict[int, tuple[Any, ...]]) -> None:
    per_agency: dict[Any, Counter[str]] = defaultdict(Counter)
    per_district: dict[str, Counter[str]] = defaultdict(Counter)
    for pid, (outcome, _) in result.decisions.items():
        proposal = current[pid]
        per_agency[proposal[4]][outcome.value] += 1
        per_district[proposal[5] or ""][outcome.value] += 1
    agencies = dict(Agency.objects.filter(pk__in=[a for a in per_agency if a]).values_list("pk", "short_name"))
    codes = dict(Agency.objects.filter(pk__in=[a for a in per_agency if a]).values_list("pk", "code"))
    names = district_names(result.run.government, sorted(per_district))

    def row(counts: Counter[str]) -> dict[str, int]:
        return {"accepted": counts[Outcome.ACCEPTED.value], "postponed": counts[Outcome.POSTPONED.value],
                "rejected": counts[Outcome.REJECTED.value], "total": sum(counts.values())}

    result.by_agency = sorted(({"code": codes.get(a, ""), "name": agencies.get(a, "(belum ditetapkan)"), **row(c)}
                               for a, c in per_agency.items()), key=lambda r: r["code"])
    result.by_district = sorted(({"code": d, "name": names.get(d, ""), **row(c)} for d, c in per_district.items()),
                                key=lambda r: r["code"])


def apply_run(user: AnyUser | None, run: SelectionRun, *, unselected: str = UnselectedOutcome.POSTPONED,
              replaces: int | RunApplication | None = None, progress: Progress | None = None,
              now: Any = None) -> RunApplication:
    """Record the decisions of `run` (see the module docstring); returns the application."""
    started = time.perf_counter()
    _check(user, run)
    ensure_stage_open(run.government_id, run.year, STAGE, now)
    report = progress or (lambda phase, done, total: None)
    with transaction.atomic():
        # one application at a time per government: the government row is the lock
        LocalGovernment.objects.select_for_update().filter(pk=run.government_id).first()
        force = in_force(run.government_id, run.year)
        replaced = _replaced(force, run, replaces)
        p = plan(run, unselected=unselected, replaces=replaced, progress=progress)
        application = RunApplication.objects.create(
            run=run, government_id=run.government_id, year=run.year, replaces=replaced, unselected=unselected,
            created_by=user if isinstance(user, User) else None)
        note = f"{MARK}{application.pk} (seleksi #{run.pk})"
        bulk_ids = [pid for pid in p.decisions if pid not in p.via_service]
        writer = BulkWriter(run.government, actor=user, actor_role=actor_role_label(user),
                            history_reason="penerapan hasil seleksi", now=timezone.now())
        next_year = run.year + 1
        rows = []
        for pid in bulk_ids:
            outcome, reason = p.decisions[pid]
            rows.append((pid, STAGE.value, outcome.value, reason, note,
                         next_year if outcome is Outcome.POSTPONED else None))
        report("Mencatat keputusan", 0, len(p.decisions))
        writer.add_decisions(rows, ("proposal", "stage", "outcome", "reason", "internal_note", "postponed_to_year"),
                             report=lambda done, total: report("Mencatat keputusan", done, total), total=len(rows))
        _set_states(user, p, bulk_ids)
        for k, pid in enumerate(sorted(p.via_service)):
            outcome, reason = p.decisions[pid]
            proposal = Proposal.objects.get(pk=pid)
            proposal_services.decide(user, proposal, stage=STAGE, outcome=outcome, reason=reason, internal_note=note,
                                     postponed_to_year=next_year if outcome is Outcome.POSTPONED else None, now=now)
            report("Mencatat keputusan (Renja)", k + 1, len(p.via_service))
        summary = {
            "judged": p.judged, "decisions": p.outcome_counts, "skipped": dict(p.skipped),
            "by_agency": p.by_agency, "by_district": p.by_district, "hand_decided": p.hand_decided[:200],
            "stage": STAGE.value,
        }
        QuerySet.update(RunApplication.objects.filter(pk=application.pk), decisions=len(p.decisions),
                               summary=summary, seconds=round(time.perf_counter() - started, 3))
    application.refresh_from_db()
    return application


def _replaced(force: RunApplication | None, run: SelectionRun,
              replaces: int | RunApplication | None) -> RunApplication | None:
    wanted: Any = getattr(replaces, "pk", replaces)
    if force is None:
        if wanted is not None:
            raise InvalidInput("Penerapan yang hendak digantikan tidak berlaku lagi.")
        return None
    if force.run_id == run.pk:
        raise Conflict(f"Hasil seleksi #{run.pk} sudah diterapkan (penerapan #{force.pk}); tidak diterapkan dua kali.")
    if wanted is None or int(wanted) != force.pk:
        raise Conflict(f"Penerapan #{force.pk} (seleksi #{force.run_id}) masih berlaku. Untuk menerapkan seleksi "
                       f"lain, nyatakan bahwa penerapan ini menggantikannya.")
    return force


def _set_states(user: AnyUser | None, p: ApplyPlan, ids: list[int]) -> None:
    """Stage and status from the replayed logs, Renja link cleared when the proposal leaves the
    Renja, and one change-history row per proposal (as services.decide writes through save)."""
    groups: dict[tuple[str, str, bool], list[int]] = defaultdict(list)
    left: set[int] = set()
    for pid in ids:
        state = p.new_state[pid]
        groups[(state.stage.value, state.status.value, lifecycle.in_renja(state))].append(pid)
    for (stage, status, keep_line), members in groups.items():
        for start in range(0, len(members), CHUNK):
            part = members[start:start + CHUNK]
            changes: dict[str, Any] = {"stage": stage, "status": status}
            if not keep_line:
                changes["renja_line"] = None
                left.update(Proposal.objects.filter(pk__in=part, renja_line__isnull=False).values_list(
                    "renja_line_id", flat=True))
            Proposal.objects.filter(pk__in=part).update(**changes)
    refresh_budgets_from_proposals(left, user)  # the pagu of lines the proposals left follows them
    _history(user, ids, f"keputusan: penerapan hasil seleksi #{p.run.pk}")


def _history(user: AnyUser | None, ids: list[int], reason: str) -> None:
    """One history row ("~", changed) per proposal, copied inside the database."""
    history = Proposal.history.model
    quote = connection.ops.quote_name
    fields = [f.name for f in Proposal._meta.local_concrete_fields]
    targets = column_names(history, fields)
    sources = column_names(Proposal, fields)
    stamp = column_names(history, ["history_date", "history_change_reason", "history_type", "history_user"])
    pk = quote(column_names(Proposal, ["id"])[0])
    user_id = user.pk if isinstance(user, User) else None
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            part = ids[start:start + CHUNK]
            sql = (f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(quote(c) for c in [*targets, *stamp])}) "
                   f"SELECT {', '.join(quote(c) for c in sources)}, %s, %s, %s, %s "
                   f"FROM {quote(Proposal._meta.db_table)} WHERE {pk} IN ({', '.join(['%s'] * len(part))}) "
                   f"ORDER BY {pk}")
            cursor.execute(sql, [when, reason[:100], "~", user_id, *part])


def stage_label() -> str:
    return STAGE_LABELS[STAGE]


def may_apply(user: AnyUser | None, run: SelectionRun) -> bool:
    """True when `user` may apply `run` (for showing the button)."""
    try:
        _check(user, run)
    except (NotPermitted, InvalidInput):
        return False
    return True
