"""An append-only, hash-chained log of every view of a person's record and every change.

Each entry's hash is an HMAC, under a key kept outside the database, of its own
fields and the previous entry's hash, so altering, removing or reordering any row
breaks the chain from that row on (`equiserve audit verify` names the first broken
entry), and nobody without the key can rebuild it. Signed checkpoints written outside
the database catch a chain cut short with its head rewound. Database triggers refuse
UPDATE (and DELETE on PostgreSQL); the model refuses them too.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        DECIDE = "decide", _("Decided")
        EXPORT = "export", _("Exported")
        IMPORT = "import", _("Imported")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logged out")
        REVOKE = "revoke", _("Revoked")

    # Gapless position in the chain, assigned under the chain-head lock.
    seq = models.BigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("who"),
    )
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("what"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=64, db_index=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True, db_index=True)
    town_code = models.CharField(_("town"), max_length=9, blank=True, db_index=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    remote_addr = models.CharField(_("from where"), max_length=64, blank=True)
    # 1: plain SHA-256, entries written before the audit key (only as a prefix);
    # 2: HMAC-SHA-256 under settings.AUDIT_KEY. See audit.chain.
    chain_version = models.PositiveSmallIntegerField(default=2)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditChainHead(models.Model):
    """One row holding the last hash; locking it serializes appends to the chain."""

    last_hash = models.CharField(max_length=64)
    entries = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return self.last_hash
