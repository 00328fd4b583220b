"""The hash that links audit entries; one definition used to write and to verify.

Version 1 entries (written before issue 10, finding 5) carry a plain SHA-256 that
anyone with database access could recompute. Version 2 entries carry an HMAC-SHA-256
under the audit key, which lives outside the database (settings.AUDIT_KEY).
"""

import hashlib
import hmac
import json

GENESIS_HASH = "0" * 64
UNKEYED = 1
KEYED = 2
CHAIN_VERSIONS = (UNKEYED, KEYED)


def _canonical(payload: dict) -> str:
    return json.dumps(
        payload,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def entry_digest(
    *,
    version: int,
    key: str,
    prev_hash: str,
    seq: int,
    at_iso: str,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
    town_code: str,
    summary: str,
    changes: dict,
    remote_addr: str,
) -> str:
    """Return the entry's hash over the previous hash and a canonical JSON of it."""
    fields = {
        "seq": seq,
        "at": at_iso,
        "actor": actor_username,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "town": town_code,
        "summary": summary,
        "changes": changes,
        "remote_addr": remote_addr,
    }
    if version == UNKEYED:
        message = prev_hash + _canonical(fields)
        return hashlib.sha256(message.encode("utf-8")).hexdigest()
    message = prev_hash + _canonical({**fields, "version": version})
    return sign(key, message)


def sign(key: str, message: str) -> str:
    """Return the HMAC-SHA-256 of a message under the audit key, in hex."""
    return hmac.new(
        key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256
    ).hexdigest()


def checkpoint_signature(key: str, *, seq: int, head_hash: str, written_at: str) -> str:
    """Return the signature binding a checkpoint's position and head hash to the key."""
    return sign(
        key,
        _canonical(
            {"kind": "checkpoint", "seq": seq, "head": head_hash, "at": written_at}
        ),
    )
