"""The hash that links audit entries; one definition used to write and to verify."""

import hashlib
import json

GENESIS_HASH = "0" * 64


def entry_digest(
    *,
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
    """Return SHA-256 over the previous hash and a canonical JSON of the entry."""
    body = json.dumps(
        {
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
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()
