"""Proposal numbers from a counter: one row per number series, seeded from the numbers stored.

An existing database continues each series where it stands: the counter of a prefix starts at
the highest sequence already given under it.
"""

import django.db.models.deletion
from django.db import migrations, models


def seed_counters(apps, schema_editor):
    """One counter per prefix in use, at the highest sequence stored under it."""
    Proposal = apps.get_model("proposals", "Proposal")
    ProposalCounter = apps.get_model("proposals", "ProposalCounter")
    db = schema_editor.connection.alias
    highest: dict[str, tuple[int, int]] = {}  # prefix -> (government id, last sequence)
    rows = Proposal.objects.using(db).order_by().values_list("government_id", "number")
    for government_id, number in rows.iterator(chunk_size=10_000):
        head, _, tail = number.rpartition("-")
        if not head or not tail.isdigit():
            continue
        prefix = head + "-"
        sequence = int(tail)
        if sequence > highest.get(prefix, (0, 0))[1]:
            highest[prefix] = (government_id, sequence)
    ProposalCounter.objects.using(db).bulk_create(
        [ProposalCounter(government_id=gov, prefix=prefix, last=last) for prefix, (gov, last) in highest.items()],
        batch_size=1_000)


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0001_initial'),
        ('proposals', '0003_decision_actor_protect'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProposalCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('prefix', models.CharField(max_length=32, unique=True, verbose_name='awalan nomor')),
                ('last', models.PositiveIntegerField(default=0, verbose_name='nomor urut terakhir')),
                ('government', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+',
                                                 to='plans.localgovernment')),
            ],
            options={
                'verbose_name': 'penghitung nomor usulan',
                'verbose_name_plural': 'penghitung nomor usulan',
            },
        ),
        migrations.RunPython(seed_counters, migrations.RunPython.noop),
    ]
