"""Event kinds contributed by other capabilities (checklist, questions, e-mail, feedback).

Changing a constraint makes SQLite rebuild the table, which drops its triggers: the append-only
triggers of 0002 are put back here. Every later migration that alters `cases_caseevent` must do
the same (`test_case_log` fails otherwise).
"""

from django.conf import settings
import importlib

from django.db import migrations, models


def reinstall_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        importlib.import_module("tillit.cases.migrations.0002_case_event_append_only").install(
            apps, schema_editor
        )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_sent_notice'),
        ('organisation', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='caseevent',
            name='event_kind_valid',
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='kind',
            field=models.CharField(choices=[('created', 'registered'), ('assigned', 'handler assigned'), ('unassigned', 'handler removed'), ('note', 'internal note'), ('reply', 'reply to the citizen'), ('citizen_message', 'message from the citizen'), ('oral_information', 'oral information noted'), ('status', 'status changed'), ('due_date', 'due date changed'), ('offered', 'hand-over offered'), ('accepted', 'hand-over accepted'), ('returned', 'hand-over returned'), ('withdrawn', 'hand-over withdrawn'), ('escalated', 'hand-over escalated'), ('secrecy', 'secrecy marking changed'), ('secret_read', 'secret case read'), ('attachment', 'attachment added'), ('case_type', 'case type changed'), ('checklist', 'checklist updated'), ('question', 'question to a colleague'), ('answer', 'answer from a colleague'), ('email_in', 'e-mail received'), ('email_out', 'e-mail sent'), ('follow_up', 'follow-up requested'), ('feedback', 'feedback')], max_length=20),
        ),
        migrations.AddConstraint(
            model_name='caseevent',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['created', 'assigned', 'unassigned', 'note', 'reply', 'citizen_message', 'oral_information', 'status', 'due_date', 'offered', 'accepted', 'returned', 'withdrawn', 'escalated', 'secrecy', 'secret_read', 'attachment', 'case_type', 'checklist', 'question', 'answer', 'email_in', 'email_out', 'follow_up', 'feedback'])), name='event_kind_valid'),
        ),
        migrations.RunPython(reinstall_append_only, migrations.RunPython.noop),
    ]
