"""Keep a round's secret seed sealed between the freeze and the draw.

The seed is XORed with a one-time pad HMAC-SHA256(K, nonce ‖ round id), where K
is HMAC-SHA256(SECRET_KEY, a fixed label) and the nonce is 16 fresh random
bytes. A copy of the database alone does not reveal the seed; whoever also holds
SECRET_KEY can unseal it, which is why the draw is the only caller. The seal
carries no tag of its own: the draw checks the unsealed seed against the
published commitment, which a wrong key or a tampered seal cannot pass.

If SECRET_KEY changes between the freeze and the draw, the seal cannot be
opened and the round has to be frozen again with a new commitment.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

_LABEL = b"equiserve.housing.round-seed-seal/1"


def _pad(nonce: bytes, round_id: str) -> bytes:
    key = hmac.new(settings.SECRET_KEY.encode(), _LABEL, hashlib.sha256).digest()
    return hmac.new(key, nonce + round_id.encode(), hashlib.sha256).digest()


def seal_seed(seed: str, round_id: str) -> tuple[str, str]:
    """Return (nonce, sealed) hex strings for a 64-hex-character seed."""
    raw = bytes.fromhex(seed)
    nonce = secrets.token_bytes(16)
    pad = _pad(nonce, round_id)
    return nonce.hex(), bytes(a ^ b for a, b in zip(raw, pad, strict=True)).hex()


def unseal_seed(nonce: str, sealed: str, round_id: str) -> str:
    """Return the seed a `seal_seed` call sealed (garbage if the key changed)."""
    pad = _pad(bytes.fromhex(nonce), round_id)
    raw = bytes.fromhex(sealed)
    return bytes(a ^ b for a, b in zip(raw, pad, strict=True)).hex()
