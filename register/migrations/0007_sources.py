"""Sources: the documents evidence quotes (FOI answers and published documents)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('register', '0006_indexes_for_facets'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalSource',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('is_published', models.BooleanField(db_index=True, default=False, help_text='Only an editor publishes. Drafts are never shown to the public.', verbose_name='published')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False)),
                ('kind', models.CharField(choices=[('foi_answer', 'Answer to an FOI request'), ('document', 'Published document')], default='document', max_length=20)),
                ('title', models.CharField(help_text="How it is cited: a document's title; an FOI answer's reference or subject.", max_length=300)),
                ('slug', models.SlugField(blank=True, help_text="An FOI answer's identifier in the register: its request's slug.", max_length=150)),
                ('url', models.CharField(help_text="Where a reader finds it: a document's URL, or the FOI request's page in the register.", max_length=500, verbose_name='address')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('force', models.ForeignKey(blank=True, db_constraint=False, help_text='The force that answered, for an FOI answer: it is public only with its force.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='register.force')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical source',
                'verbose_name_plural': 'historical sources',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Source',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('is_published', models.BooleanField(db_index=True, default=False, help_text='Only an editor publishes. Drafts are never shown to the public.', verbose_name='published')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True)),
                ('kind', models.CharField(choices=[('foi_answer', 'Answer to an FOI request'), ('document', 'Published document')], default='document', max_length=20)),
                ('title', models.CharField(help_text="How it is cited: a document's title; an FOI answer's reference or subject.", max_length=300)),
                ('slug', models.SlugField(blank=True, help_text="An FOI answer's identifier in the register: its request's slug.", max_length=150)),
                ('url', models.CharField(help_text="Where a reader finds it: a document's URL, or the FOI request's page in the register.", max_length=500, verbose_name='address')),
                ('force', models.ForeignKey(blank=True, help_text='The force that answered, for an FOI answer: it is public only with its force.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='sources', to='register.force')),
            ],
            options={
                'ordering': ['kind', 'title'],
                'permissions': [('publish_source', 'Can publish and unpublish sources')],
            },
        ),
        migrations.AddConstraint(
            model_name='source',
            constraint=models.CheckConstraint(condition=models.Q(('url', ''), _negated=True), name='source_has_an_address'),
        ),
        migrations.AddConstraint(
            model_name='source',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'foi_answer')), fields=('slug',), name='one_source_per_foi_request'),
        ),
    ]
