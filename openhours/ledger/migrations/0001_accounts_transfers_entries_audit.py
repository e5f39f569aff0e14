"""Accounts, transfers, entries and audit events, with the constraints that keep them sound."""


import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Account',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('system_code', models.CharField(blank=True, choices=[('community_pool', 'Community pool'), ('issuance', 'New credits (issuance)')], max_length=32, null=True)),
                ('balance', models.BigIntegerField(default=0, help_text='Minutes; the sum of the entries.')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('owner', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ledger_accounts', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('verb', models.CharField(max_length=64)),
                ('target', models.CharField(help_text='What it acted on, e.g. "transfer:42".', max_length=200)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Transfer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('exchange', 'Exchange'), ('group_session', 'Group session'), ('joining_grant', 'Joining grant'), ('donation', 'Donation'), ('grant', 'Grant from the community pool'), ('pool_top_up', 'Community pool top-up'), ('adjustment', 'Adjustment'), ('reversal', 'Reversal')], max_length=16)),
                ('memo', models.CharField(blank=True, help_text='Why; a reason for corrections.', max_length=500)),
                ('reference', models.CharField(blank=True, max_length=100)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('idempotency_key', models.CharField(max_length=150)),
                ('fingerprint', models.CharField(max_length=64)),
                ('limits_overridden', models.BooleanField(default=False, help_text='A correction that left a member outside a balance limit, deliberately.')),
                ('created_by', models.ForeignKey(blank=True, help_text='Empty when the system posted it (for example an automatic confirmation).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reverses', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversals', to='ledger.transfer')),
            ],
        ),
        migrations.CreateModel(
            name='Entry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.IntegerField(help_text='Signed minutes: positive in, negative out.')),
                ('account', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='ledger.account')),
                ('transfer', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='ledger.transfer')),
            ],
            options={
                'verbose_name_plural': 'entries',
            },
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('owner__isnull', False), ('system_code__isnull', True)), models.Q(('owner__isnull', True), ('system_code__isnull', False)), _connector='OR'), name='ledger_account_member_xor_system'),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.CheckConstraint(condition=models.Q(('system_code__isnull', True), ('system_code__in', ['community_pool', 'issuance']), _connector='OR'), name='ledger_account_system_code_valid'),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.UniqueConstraint(fields=('owner',), name='ledger_account_one_per_member'),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.UniqueConstraint(fields=('system_code',), name='ledger_account_one_per_code'),
        ),
        migrations.AddIndex(
            model_name='transfer',
            index=models.Index(condition=models.Q(('reference', ''), _negated=True), fields=['reference'], name='ledger_transfer_reference'),
        ),
        migrations.AddConstraint(
            model_name='transfer',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['exchange', 'group_session', 'joining_grant', 'donation', 'grant', 'pool_top_up', 'adjustment', 'reversal'])), name='ledger_transfer_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='transfer',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'reversal'), ('reverses__isnull', False)), models.Q(models.Q(('kind', 'reversal'), _negated=True), ('reverses__isnull', True)), _connector='OR'), name='ledger_transfer_reversal_names_original'),
        ),
        migrations.AddConstraint(
            model_name='transfer',
            constraint=models.CheckConstraint(condition=models.Q(('limits_overridden', False), ('kind__in', ['adjustment', 'reversal']), _connector='OR'), name='ledger_transfer_only_corrections_override_limits'),
        ),
        migrations.AddConstraint(
            model_name='transfer',
            constraint=models.CheckConstraint(condition=models.Q(('idempotency_key', ''), _negated=True), name='ledger_transfer_has_key'),
        ),
        migrations.AddConstraint(
            model_name='transfer',
            constraint=models.UniqueConstraint(fields=('idempotency_key',), name='ledger_transfer_key_once'),
        ),
        migrations.AddConstraint(
            model_name='transfer',
            constraint=models.UniqueConstraint(condition=models.Q(('reverses__isnull', False)), fields=('reverses',), name='ledger_transfer_reversed_once'),
        ),
        migrations.AddIndex(
            model_name='entry',
            index=models.Index(fields=['account', 'id'], name='ledger_entry_account_id'),
        ),
        migrations.AddConstraint(
            model_name='entry',
            constraint=models.CheckConstraint(condition=models.Q(('amount', 0), _negated=True), name='ledger_entry_amount_not_zero'),
        ),
        migrations.AddConstraint(
            model_name='entry',
            constraint=models.UniqueConstraint(fields=('transfer', 'account'), name='ledger_entry_one_leg_per_account'),
        ),
    ]
