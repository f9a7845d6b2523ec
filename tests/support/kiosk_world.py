"""A kiosk runtime on a real database with trusted keys, residents and signed cards (no server)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from kiosk.config import DeviceRole, KioskConfig, load
from kiosk.protocol import TokenRole
from kiosk.runtime import Runtime, start_runtime
from kiosk.storage import open_database
from kiosk.sync.models import ResidentEntry, TrustedKey
from server.tokens import issue_token, new_signing_key, public_key_data


@dataclass
class CardIssuer:
    """A signing key the kiosk trusts; ``card()`` issues a resident QR payload."""

    kid: str
    private: bytes
    public: bytes
    issued: list[str] = field(default_factory=list)

    def card(self, resident_id: str, *, role: TokenRole = TokenRole.RESIDENT, lifetime_s: int = 86_400 * 365,
             now: int | None = None) -> str:
        token = issue_token(self.private, self.kid, role, resident_id, lifetime_s=lifetime_s, now=now)
        self.issued.append(token)
        return token


def new_issuer() -> CardIssuer:
    kid, private, public = new_signing_key()
    return CardIssuer(kid, private, public)


def trust(runtime_or_db: Any, issuer: CardIssuer) -> None:
    """Store the issuer's public key as if pulled from the server."""
    db = getattr(runtime_or_db, "database", runtime_or_db)
    data = public_key_data(issuer.kid, issuer.public)
    db.write(lambda s: s.merge(TrustedKey(kid=issuer.kid, data=data)))


def add_resident(runtime_or_db: Any, resident_id: str, masked_name: str, birth_year: int,
                 family_id: str | None = None, community_id: str | None = "C-GX") -> None:
    """A directory entry as if pulled from the server."""
    db = getattr(runtime_or_db, "database", runtime_or_db)
    db.write(lambda s: s.merge(ResidentEntry(resident_id=resident_id, masked_name=masked_name, birth_year=birth_year,
                                             family_id=family_id, community_id=community_id)))


def config_with_devices(devices: dict[str, dict[str, Any]], base: KioskConfig | None = None) -> KioskConfig:
    config = (base or load(None)).model_copy(deep=True)
    return config.model_copy(update={"devices": {role: DeviceRole.model_validate(raw) for role, raw in devices.items()}})


@contextlib.contextmanager
def kiosk_runtime(tmp_path: Path, devices: dict[str, dict[str, Any]] | None = None,
                  config: KioskConfig | None = None) -> Iterator[Runtime]:
    """A silent runtime with its own migrated SQLite database and the given device twins; no server."""
    cfg = config_with_devices(devices or {}, config)
    runtime = start_runtime(cfg, speech=False, database=False, logs=False)
    runtime.database = open_database(tmp_path / "kiosk.db")
    try:
        yield runtime
    finally:
        runtime.close()
