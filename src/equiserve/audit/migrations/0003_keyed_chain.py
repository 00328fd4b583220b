"""Key the audit chain with an HMAC (issue 10, finding 5).

Entries already written keep their plain SHA-256 and are marked chain version 1.
Then one keyed entry (version 2) is appended, linking to their last hash: from then
on, nobody without the audit key can rewrite those earlier entries, nor the chain as
a whole, because `audit verify` accepts unkeyed entries only when keyed ones follow.

Adding a column rebuilds the table on SQLite, which drops its triggers; they are
created again here.
"""

import importlib
from datetime import UTC

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from equiserve.audit.chain import KEYED, entry_digest

triggers = importlib.import_module("equiserve.audit.migrations.0002_append_only_triggers")


def seal_unkeyed_entries(apps, schema_editor):
    entry_model = apps.get_model("audit", "AuditEntry")
    head_model = apps.get_model("audit", "AuditChainHead")
    head = head_model.objects.filter(pk=1).first()
    if head is None or head.entries == 0:
        return
    seal = entry_model(
        seq=head.entries + 1,
        at=timezone.now(),
        actor_username="",
        action="update",
        object_type="audit.chain",
        object_id="",
        town_code="",
        summary=f"chain keyed with the audit key after {head.entries} unkeyed entries",
        changes={"chain_version": [1, KEYED]},
        remote_addr="",
        chain_version=KEYED,
        prev_hash=head.last_hash,
    )
    seal.hash = entry_digest(
        version=KEYED,
        key=settings.AUDIT_KEY,
        prev_hash=head.last_hash,
        seq=seal.seq,
        at_iso=seal.at.astimezone(UTC).isoformat(),
        actor_username="",
        action=seal.action,
        object_type=seal.object_type,
        object_id="",
        town_code="",
        summary=seal.summary,
        changes=seal.changes,
        remote_addr="",
    )
    seal.save()
    head.last_hash = seal.hash
    head.entries = seal.seq
    head.save(update_fields=["last_hash", "entries"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="chain_version",
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="chain_version",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "Viewed"),
                    ("create", "Created"),
                    ("update", "Changed"),
                    ("delete", "Deleted"),
                    ("decide", "Decided"),
                    ("export", "Exported"),
                    ("import", "Imported"),
                    ("login", "Logged in"),
                    ("login_failed", "Failed login"),
                    ("logout", "Logged out"),
                    ("revoke", "Revoked"),
                ],
                max_length=16,
                verbose_name="what",
            ),
        ),
        migrations.RunPython(
            triggers._run(
                {
                    "sqlite": triggers.SQLITE_DROP + triggers.SQLITE_CREATE,
                    "postgresql": triggers.POSTGRES_DROP + triggers.POSTGRES_CREATE,
                }
            ),
            migrations.RunPython.noop,
        ),
        migrations.RunPython(seal_unkeyed_entries, migrations.RunPython.noop),
    ]
