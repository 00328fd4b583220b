"""Who may read the audit log: auditors only (issue 4)."""

from equiserve.accounts.scope import scope_of


def reads_audit_log(user) -> bool:
    """Return whether `user` may read and filter the audit log."""
    scope = scope_of(user)
    return scope is not None and scope.reads_audit_log
