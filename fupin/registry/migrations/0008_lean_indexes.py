"""Indexes without the LIKE-pattern twins nothing searches with, no second index on ID numbers, and
an index on phone numbers for the duplicate-phone check."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
        ("registry", "0007_household_region_order"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalhousehold",
            name="region",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="regions.region",
                verbose_name="village",
            ),
        ),
        migrations.AlterField(
            model_name="household",
            name="head_name",
            field=models.CharField(blank=True, max_length=50, verbose_name="head of household"),
        ),
        migrations.AlterField(
            model_name="household",
            name="main_cause",
            field=models.CharField(max_length=10, verbose_name="main cause of poverty"),
        ),
        # On PostgreSQL, dropping db_index drops every single-column b-tree index on the column that
        # is not a Meta index, the partial unique constraint's included: it is removed and made again.
        migrations.RemoveConstraint(model_name="member", name="member_current_id_unique"),
        migrations.AlterField(
            model_name="member",
            name="id_number",
            field=models.CharField(max_length=20, verbose_name="ID number"),
        ),
        migrations.AddConstraint(
            model_name="member",
            constraint=models.UniqueConstraint(
                condition=models.Q(("left_on__isnull", True)), fields=("id_number",), name="member_current_id_unique"
            ),
        ),
        migrations.AlterField(
            model_name="member",
            name="name",
            field=models.CharField(max_length=50, verbose_name="name"),
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["head_name"], name="household_head_name"),
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["main_cause"], name="household_main_cause"),
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["phone"], name="household_phone"),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["name"], name="member_name_prefix", opclasses=["varchar_pattern_ops"]),
        ),
    ]
