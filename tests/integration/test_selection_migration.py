"""Migration 0004: runs stored one row per proposal become compressed blocks with the same values."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD = [("selection", "0003_run_creator_protect")]

pytestmark = pytest.mark.django_db(transaction=True)


def _latest(executor: MigrationExecutor) -> list[tuple[str, str]]:
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "selection"]


def test_existing_runs_are_converted_and_stay_readable() -> None:
    executor = MigrationExecutor(connection)
    latest = _latest(executor)
    executor.migrate(OLD)
    try:
        # the models as the database now is: selection at OLD, every other app at its latest
        # migration (not only the ancestors of OLD: later fields of other apps are in the tables)
        stepped = MigrationExecutor(connection)
        applied = [key for key in stepped.loader.applied_migrations if key in stepped.loader.graph.nodes]
        apps = stepped.loader.project_state(applied).apps
        government = apps.get_model("plans", "LocalGovernment").objects.create(
            region_code="32.16", name="Kabupaten Uji", level="regency")
        Proposal = apps.get_model("proposals", "Proposal")
        proposals = [Proposal.objects.create(government=government, year=2026, number=f"2026-X-{i:02d}",
                                             channel="agency_draft", stage="agency_forum", status="in_review",
                                             title=f"Usulan {i}", volume=1, unit="paket", estimated_cost=10 * (i + 1),
                                             proposer_name="Uji")
                     for i in range(5)]
        run = apps.get_model("selection", "SelectionRun").objects.create(
            government=government, year=2026, rule="greedy", budget=100)
        Outcome = apps.get_model("selection", "SelectionOutcome")
        expected = []
        for i, p in enumerate(proposals):
            row = dict(selected=i % 2 == 0, round=i + 1 if i % 2 == 0 else None,
                       reason_code="selected_greedy" if i % 2 == 0 else "rejected_budget",
                       reason_params={"round": i + 1, "measure": "approvals", "value": 2.5} if i % 2 == 0
                       else {"remaining": 5, "cost": p.estimated_cost},
                       cost=p.estimated_cost, score=None if i == 3 else 50.0 + i, agency_id=None,
                       district_code="32.16.01" if i < 3 else "")
            Outcome.objects.create(run=run, proposal=p, **row)
            expected.append((p.pk, row))
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        from selaras.web.selection.models import OutcomeBlock, SelectionRun
        from selaras.web.selection.selectors import outcome_of, records_of

        converted = SelectionRun.objects.get(pk=run.pk)
        assert OutcomeBlock.objects.filter(run=converted).count() == 1
        records = {r.proposal_id: r for r in records_of(converted)}
        for pk, row in expected:
            record = records[pk]
            assert (record.selected, record.round, record.reason_code, record.reason_params, record.cost,
                    record.score, record.agency_id, record.district_code) == (
                row["selected"], row["round"], row["reason_code"], row["reason_params"], row["cost"],
                row["score"], row["agency_id"], row["district_code"])
            assert outcome_of(converted, pk) == record
        assert "selection_selectionoutcome" not in connection.introspection.table_names()
    finally:
        MigrationExecutor(connection).migrate(_latest(MigrationExecutor(connection)))
