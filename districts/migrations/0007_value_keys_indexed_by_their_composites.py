"""Drop the value table's own indexes on its district and on its indicator.

The unique constraint (district, indicator, period) leads with the district and the index
(indicator, period) with the indicator, so they answer every lookup by either; the two
single-column indexes only had to be written, for every imported figure and for every figure
a publication locks (110,000 for a national race). Only the indexes go: Django's AlterField
would also drop and re-create (and re-validate) the foreign keys themselves.
"""

import django.db.models.deletion
from django.db import migrations, models

_INDEXES = {
    "district_id": "districts_value_district_id_d07adf3d",
    "indicator_id": "districts_value_indicator_id_cbde495b",
}


class Migration(migrations.Migration):
    dependencies = [("districts", "0006_indicator_roll_up")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="value",
                    name="district",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="values",
                        to="districts.district",
                        verbose_name="district",
                    ),
                ),
                migrations.AlterField(
                    model_name="value",
                    name="indicator",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="values",
                        to="districts.indicator",
                        verbose_name="indicator",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    f'CREATE INDEX IF NOT EXISTS "{name}" ON "districts_value" ("{column}")',
                )
                for column, name in _INDEXES.items()
            ],
        )
    ]
