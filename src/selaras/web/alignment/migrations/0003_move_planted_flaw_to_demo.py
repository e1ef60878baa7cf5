"""PlantedFlaw moves to the demo app (`selaras.web.demo`).

The table is renamed, not dropped, so a database with a loaded demo district keeps the record of
its planted flaws; the model leaves this app's state here and enters the demo app's state in
`demo.0001_initial`, which runs after this migration.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("alignment", "0002_planted_flaw"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable("PlantedFlaw", "demo_plantedflaw")],
            state_operations=[migrations.DeleteModel("PlantedFlaw")],
        ),
    ]
