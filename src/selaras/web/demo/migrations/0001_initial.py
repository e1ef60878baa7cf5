"""PlantedFlaw, moved here from the alignment app.

The table `demo_plantedflaw` already exists when this runs: `alignment.0003` renamed it (on a fresh
database it was created by `alignment.0002` just before). So this migration changes only the
state. The content type is carried over too, so that admin permissions keep pointing at the model.
"""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not content_type.objects.using(db).filter(app_label="demo", model="plantedflaw").exists():
        content_type.objects.using(db).filter(app_label="alignment", model="plantedflaw").update(app_label="demo")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("alignment", "0003_move_planted_flaw_to_demo"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("plans", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PlantedFlaw",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("code", models.CharField(max_length=80, verbose_name="kode aturan")),
                        ("line", models.CharField(max_length=60, verbose_name="rujukan baris")),
                        ("year", models.PositiveIntegerField(blank=True, null=True, verbose_name="tahun")),
                        ("agency", models.CharField(blank=True, max_length=40, verbose_name="perangkat daerah")),
                        ("what", models.TextField(verbose_name="keterangan")),
                        ("government", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                         related_name="+", to="plans.localgovernment",
                                                         verbose_name="pemerintah daerah")),
                    ],
                    options={
                        "verbose_name": "cacat contoh yang ditanam",
                        "verbose_name_plural": "cacat contoh yang ditanam",
                        "ordering": ["government", "code", "line"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
