"""Copy each application's implementing department onto the row, so staff queues use one index."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_departments(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    ServiceItem = apps.get_model("catalog", "ServiceItem")
    department = ServiceItem.objects.filter(pk=OuterRef("item_id")).values("department_id")[:1]
    Application.objects.update(department_id=Subquery(department))


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_special_procedures_of_art_45"),
        ("catalog", "0003_material_files"),
        ("directory", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="department",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="applications",
                to="directory.department",
                verbose_name="实施主体",
            ),
        ),
        migrations.RunPython(copy_departments, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="application",
            name="department",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="applications",
                to="directory.department",
                verbose_name="实施主体",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(status__in=["submitted", "awaiting_acceptance"]),
                fields=["department", "acceptance_due", "id"],
                name="application_queue_acceptance",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(status__in=["accepted", "in_review"]),
                fields=["department", "decision_due", "acceptance_due", "id"],
                name="application_queue_review",
            ),
        ),
    ]
