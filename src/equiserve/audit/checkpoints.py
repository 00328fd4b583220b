"""Signed checkpoints of the audit chain's head, kept outside the database.

A checkpoint names a position in the chain and the hash of the entry there, signed
with the audit key. Whoever can write the database can cut the chain short and
rewind its head row, but cannot make `audit verify --checkpoint` accept a chain that
is shorter than, or differs from, a checkpoint taken before (issue 10, finding 5).
"""

import hmac
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from equiserve.audit.chain import checkpoint_signature

FORMAT = "equiserve-audit-checkpoint"
logger = logging.getLogger(__name__)


class CheckpointInvalid(ValueError):
    pass


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    head_hash: str
    written_at: str


def checkpoint_write(directory: Path, *, seq: int, head_hash: str) -> Path:
    """Write a signed checkpoint for the entry `seq` into `directory`; return its path."""
    written_at = timezone.now().isoformat()
    document = {
        "format": FORMAT,
        "seq": seq,
        "head_hash": head_hash,
        "written_at": written_at,
        "signature": checkpoint_signature(
            settings.AUDIT_KEY, seq=seq, head_hash=head_hash, written_at=written_at
        ),
    }
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"audit-checkpoint-{seq:012d}.json"
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path


def checkpoint_write_quietly(directory: Path, *, seq: int, head_hash: str) -> None:
    """Write a checkpoint after a commit; a full disk must not fail the user's request."""
    try:
        checkpoint_write(directory, seq=seq, head_hash=head_hash)
    except OSError:
        logger.exception("could not write the audit checkpoint for entry %s", seq)


def checkpoint_read(path: Path) -> Checkpoint:
    """Read a checkpoint; raise CheckpointInvalid unless the audit key signed it."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        checkpoint = Checkpoint(
            seq=int(document["seq"]),
            head_hash=str(document["head_hash"]),
            written_at=str(document["written_at"]),
        )
        signature = str(document["signature"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CheckpointInvalid(f"{path} is not a readable checkpoint") from error
    expected = checkpoint_signature(
        settings.AUDIT_KEY,
        seq=checkpoint.seq,
        head_hash=checkpoint.head_hash,
        written_at=checkpoint.written_at,
    )
    if document.get("format") != FORMAT or not hmac.compare_digest(signature, expected):
        raise CheckpointInvalid(f"{path} is not signed with this audit key")
    return checkpoint


def checkpoint_latest(directory: Path) -> Path | None:
    """Return the checkpoint furthest along the chain in `directory`, if any."""
    paths = sorted(Path(directory).glob("audit-checkpoint-*.json"))
    return paths[-1] if paths else None
