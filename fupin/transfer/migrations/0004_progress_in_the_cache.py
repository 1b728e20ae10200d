from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("transfer", "0003_import_batch_parsed"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="importbatch",
            name="progress",
        ),
    ]
