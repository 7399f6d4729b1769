import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0011_task_leases'),
    ]

    operations = [
        migrations.AddField(
            model_name='filejob',
            name='confirms',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='confirmation', to='assessment.filejob', verbose_name='confirms'),
        ),
        migrations.AddField(
            model_name='filejob',
            name='discard',
            field=models.BooleanField(default=False, verbose_name='delete records not in the file'),
        ),
        migrations.AlterField(
            model_name='filejob',
            name='status',
            field=models.CharField(choices=[('queued', 'queued'), ('running', 'running'), ('done', 'done'), ('failed', 'failed'), ('awaiting', 'awaiting confirmation')], default='queued', max_length=16, verbose_name='status'),
        ),
    ]
