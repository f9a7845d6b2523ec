"""Identity QR tokens: per-token verify time (median, p99) against bare Ed25519, and sign time."""

from __future__ import annotations

import statistics
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.identity import InvalidToken, Keyring, TrustedKey, verify_token
from kiosk.protocol import TokenRole, parse_token
from server.tokens import issue_token, new_signing_key

TOKENS = 2_000
WARMUP = 200
LIFETIME_S = 365 * 86_400


def _percentile(sorted_ms: list[float], fraction: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(fraction * len(sorted_ms)))]


def _timed_ms(call, items) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for item in items:
        start = time.perf_counter_ns()
        call(item)
        times.append((time.perf_counter_ns() - start) / 1e6)
    return sorted(times)


def run() -> list[tuple[str, float, str]]:
    kid, private, public = new_signing_key()
    old_kid, _old_private, old_public = new_signing_key()
    keys = Keyring([TrustedKey(old_kid, old_public), TrustedKey(kid, public)])  # mid-rotation
    now = int(time.time())
    revoked = {f"{i:016X}" for i in range(1_000)}

    sign_ms = _timed_ms(
        lambda i: issue_token(private, kid, TokenRole.RESIDENT, f"RES-{i:06d}", lifetime_s=LIFETIME_S, now=now),
        range(WARMUP + TOKENS),
    )[WARMUP // 2:]
    tokens = [issue_token(private, kid, TokenRole.RESIDENT, f"RES-{i:06d}", lifetime_s=LIFETIME_S, now=now)
              for i in range(TOKENS)]
    for token in tokens[:WARMUP]:
        verify_token(token, keys, now=now, revoked=revoked)
    verify_ms = _timed_ms(lambda t: verify_token(t, keys, now=now, revoked=revoked), tokens)

    bare_key = Ed25519PublicKey.from_public_bytes(public)
    parsed = [parse_token(t)[1:] for t in tokens]
    bare_ms = _timed_ms(lambda p: bare_key.verify(p[1], p[0]), parsed)

    forged = [t[:-2] + ("B" if t[-2] != "B" else "C") + t[-1] for t in tokens]

    def refuse(token: str) -> None:
        try:
            verify_token(token, keys, now=now)
        except InvalidToken:
            return
        raise AssertionError("a forged token verified")

    forged_ms = _timed_ms(refuse, forged)
    return [
        (f"identity verify_token median ({TOKENS} tokens)", statistics.median(verify_ms), "ms/token"),
        ("identity verify_token p99", _percentile(verify_ms, 0.99), "ms/token"),
        ("identity bare Ed25519 verify median", statistics.median(bare_ms), "ms/token"),
        ("identity forged token refusal median", statistics.median(forged_ms), "ms/token"),
        ("identity issue_token (sign) median", statistics.median(sign_ms), "ms/token"),
        ("identity issue_token (sign) p99", _percentile(sign_ms, 0.99), "ms/token"),
        ("identity token length", float(len(tokens[0])), "chars"),
    ]
