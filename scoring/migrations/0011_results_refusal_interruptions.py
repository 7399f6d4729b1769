from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0010_delivery"),
    ]

    operations = [
        migrations.AddField(
            model_name="resultsrefusal",
            name="interruptions",
            field=models.PositiveIntegerField(default=0, verbose_name="interruptions"),
        ),
        migrations.AddField(
            model_name="resultsrefusal",
            name="worker",
            field=models.CharField(blank=True, max_length=200, verbose_name="worker"),
        ),
    ]
