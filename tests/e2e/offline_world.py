"""The world of the offline-spending tests: kiosks on their own switchable links to one real server."""

from __future__ import annotations

import socket
import struct
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from kiosk.points import wallet as w
from kiosk.points.models import PointsSpendRow
from kiosk.points.models import Reserve as KioskReserve
from kiosk.points.wallet import PointsError, Receipt, Wallet
from kiosk.protocol import OutboxRecord, Outcome, RecordKind
from kiosk.storage import open_database
from kiosk.storage.column_types import utc_now
from kiosk.sync import outbox
from kiosk.sync.enrollment import enroll, load_credentials
from kiosk.sync.errors import SyncError
from kiosk.sync.models import DELIVERED, OutboxRow
from kiosk.sync.relay import Relay
from server.db import make_engine, make_sessionmaker
from server.ledger.models import Account, LedgerTx
from server.ledger.models import Reserve as ServerReserve
from server.ledger.movements import DEFAULT_ISSUER, award, balance, check_invariants, merchant_account, resident_balance
from server.ledger.reserves import RESERVE_POLICY
from server.testing import ServerThread, seed_minimal
from support.http_faults import ResettingProxy
from support.sync_fixtures import make_client

R1, R2, R3 = "R-000001", "R-000002", "R-000003"  # R1 and R2 are one family (F-0001)
RESIDENTS = (R1, R2, R3)
PAYS_FOR = [(R1, R1), (R1, R2), (R2, R1), (R2, R2), (R3, R3)]  # payer -> beneficiary the server accepts
MERCHANT = "canteen:C-01"
KIOSKS = 3
POLICY = w.WalletPolicy()
MAX_CLOCK_OFFSET = timedelta(days=30)  # stored answers are kept >= 90 days: stay well inside


class SwitchableLink(ResettingProxy):
    """A kiosk's link to the server: passes; or is cut (every connection is reset before the request
    reaches the server: a partition); or loses the next ``lose_left`` answers (the server commits,
    the kiosk only sees a reset). Switched from the test thread between requests.
    """

    def __init__(self, upstream_base_url: str) -> None:
        self.cut = False
        self.lose_left = 0
        super().__init__(upstream_base_url, should_reset=self._lose_this_answer)

    def _lose_this_answer(self, _n: int) -> bool:
        if self.lose_left > 0:
            self.lose_left -= 1
            return True
        return False

    def _serve(self, client: socket.socket) -> None:
        if self.cut:
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()
            return
        super()._serve(client)

    @property
    def healthy(self) -> bool:
        return not self.cut and self.lose_left == 0

    def heal(self) -> None:
        self.cut, self.lose_left = False, 0


class Kiosk:
    """One kiosk: its own SQLite file, link, client, wallet and relay (driven by ``relay.step()``)."""

    def __init__(self, index: int, path: Path, link: SwitchableLink, clock: Callable[[], datetime]) -> None:
        self.index, self.path, self.link, self.clock = index, path, link, clock
        self.receipts: dict[str, Receipt] = {}  # every spend the wallet acknowledged, by outbox key
        self.kiosk_id = ""
        self._open()

    def _open(self) -> None:
        self.db = open_database(self.path)
        creds = load_credentials(self.db)
        self.client = make_client(self.link.base_url, credentials=creds.pair() if creds else None)
        self.wallet = Wallet(self.db, self.client, clock=self.clock)
        self.relay = Relay(self.db, self.client)

    def enroll(self, code: str) -> None:
        self.kiosk_id = enroll(self.db, self.client, code, f"kiosk-{self.index}").kiosk_id

    def restart(self) -> None:
        """Close everything and open the same file again (what a power cut leaves is what counts)."""
        self.close()
        self._open()

    def outbox_counts(self) -> tuple[int, int]:
        with self.db.session() as s:
            return outbox.pending_count(s), outbox.dead_count(s)

    def knows_family(self, a: str, b: str) -> bool:
        """Whether this kiosk's pulled directory puts both residents in one family."""
        from kiosk.sync.models import ResidentEntry

        with self.db.session() as s:
            families = {e.resident_id: e.family_id for e in s.query(ResidentEntry).filter(
                ResidentEntry.resident_id.in_((a, b)))}
        return families.get(a) is not None and families.get(a) == families.get(b)

    def spent_today(self, payer: str, now: datetime) -> tuple[int, int]:
        """(count, points) of this kiosk's acknowledged spends by ``payer`` on ``now``'s local day."""
        zone: ZoneInfo = POLICY.time_zone  # type: ignore[assignment]
        day = now.astimezone(zone).date()
        amounts = [r.amount for r in self.receipts.values()
                   if r.payer_id == payer and r.created_at.astimezone(zone).date() == day]
        return len(amounts), sum(amounts)

    def close(self) -> None:
        self.client.close()
        self.db.close()


class World:
    """A fresh server database and server (on a shared adjustable clock), KIOSKS kiosks behind their
    own links, and the ledger read through the test's own engine. ``close()`` stops everything.
    """

    def __init__(self, root: Path, kiosks: int = KIOSKS) -> None:
        root.mkdir(parents=True)
        self.offset = timedelta(0)
        self.awarded = 0
        self.db_url = f"sqlite:///{root / 'server.db'}"
        self._closers: list[Callable[[], None]] = []
        try:
            codes = [seed_minimal(self.db_url)["enroll_code"] for _ in range(kiosks)]
            self.engine = make_engine(self.db_url)
            self._closers.append(self.engine.dispose)
            self.sessions = make_sessionmaker(self.engine)
            self.server = ServerThread(self.db_url, migrate=False, now=self.now).start()
            self._closers.append(self.server.stop)
            self.kiosks: list[Kiosk] = []
            for i, code in enumerate(codes):
                link = SwitchableLink(self.server.base_url).start()
                self._closers.append(link.stop)
                kiosk = Kiosk(i, root / f"kiosk-{i}.sqlite3", link, self.now)
                self._closers.append(lambda k=kiosk: k.close())
                kiosk.enroll(code)
                self.kiosks.append(kiosk)
        except BaseException:
            self.close()
            raise

    def now(self) -> datetime:
        return utc_now() + self.offset

    def close(self) -> None:
        while self._closers:
            self._closers.pop()()

    # --- actions (each checks what it alone can check) -------------------------------------------

    def fund(self, resident: str, points: int) -> None:
        with self.sessions() as s, s.begin():
            award(s, resident, points, "harmony", "test", "staff", "S-0001")
        self.awarded += points

    def ensure_reserve(self, k: int, resident: str, amount: int) -> int | None:
        kiosk = self.kiosks[k]
        had, healthy, cut = kiosk.wallet.available(resident), kiosk.link.healthy, kiosk.link.cut
        before = self.snapshot()
        try:
            got = kiosk.wallet.ensure_reserve(resident, amount)
        except SyncError:
            assert not healthy, "a reserve failed over a healthy link"
            if cut:
                assert self.snapshot() == before, "a request over a cut link changed the server"
            return None
        except PointsError as exc:
            assert exc.key == w.RESERVE_REFUSED, exc.key
            return None
        if had >= amount:
            assert got == had
        else:
            assert not cut, "a reserve was granted over a cut link"
        assert 0 < got <= RESERVE_POLICY.reserve_max_points
        return got

    def spend(self, k: int, payer: str, beneficiary: str, amount: int) -> Receipt | None:  # noqa: C901
        kiosk = self.kiosks[k]
        avail = kiosk.wallet.available(payer)
        count, total = kiosk.spent_today(payer, self.now())
        try:
            receipt = kiosk.wallet.spend(payer, beneficiary, amount, "canteen", MERCHANT)
        except PointsError as exc:
            why = {
                w.OFFLINE_CAP: amount > POLICY.per_spend_max_points,
                w.NO_RESERVE: avail == 0, w.RESERVE_EXPIRED: avail == 0, w.RESERVE_EXCEEDED: amount > avail,
                w.DAILY_COUNT_CAP: count >= POLICY.daily_spend_count_max,
                w.DAILY_CAP: total + amount > POLICY.daily_spend_max_points,
                # Before its first pull a kiosk does not know the families: it refuses rather than guess.
                w.NOT_FAMILY: payer != beneficiary and not kiosk.knows_family(payer, beneficiary),
            }
            assert why.get(exc.key), f"refused {exc.key} for {amount} with {avail} available, {count}/{total} today"
            return None
        assert amount <= min(avail, POLICY.per_spend_max_points), f"spent {amount} with {avail} available"
        assert count < POLICY.daily_spend_count_max and total + amount <= POLICY.daily_spend_max_points
        assert receipt.remaining == avail - amount == kiosk.wallet.available(payer)
        kiosk.receipts[str(receipt.key)] = receipt
        return receipt

    def release(self, k: int, resident: str) -> None:
        self.kiosks[k].wallet.release(resident)
        assert self.kiosks[k].wallet.available(resident) == 0

    def sync(self, k: int) -> None:
        """One relay cycle; over a healthy link it must deliver everything and dead-letter nothing."""
        kiosk = self.kiosks[k]
        healthy = kiosk.link.healthy
        kiosk.relay.step()
        if healthy:
            assert kiosk.relay.status.online, kiosk.relay.status
            assert kiosk.outbox_counts() == (0, 0), self.dead_letters(k)

    def restart(self, k: int) -> None:
        kiosk = self.kiosks[k]
        kiosk.restart()
        with kiosk.db.session() as s:
            spends = set(s.scalars(select(PointsSpendRow.outbox_key)))
            queued = set(s.scalars(select(OutboxRow.key)))
        lost = set(kiosk.receipts) - (spends & queued)
        assert not lost, f"acknowledged spends lost by a restart: {sorted(lost)}"

    def replay(self, k: int) -> None:
        """Push the kiosk's delivered records again with its own client: nothing may change."""
        kiosk = self.kiosks[k]
        with kiosk.db.session() as s:
            rows = s.scalars(select(OutboxRow).where(OutboxRow.state == DELIVERED).order_by(OutboxRow.seq)).all()
        records = [OutboxRecord(key=UUID(r.key), kind=r.kind, payload=r.payload, created_at=r.created_at,
                                operator_id=r.operator_id) for r in rows]
        if not records:
            return
        before, healthy = self.snapshot(), kiosk.link.healthy
        try:
            response = kiosk.client.push(records)
        except SyncError:
            assert not healthy, "a replay failed over a healthy link"
        else:
            assert len(response.results) == len(records)
            assert {r.outcome for r in response.results} == {Outcome.REPLAYED}, response.results
        assert self.snapshot() == before, "replaying delivered records changed the server"

    def settle(self) -> None:
        """Heal every link and sync every kiosk until its outbox is empty; then check everything."""
        for kiosk in self.kiosks:
            kiosk.link.heal()
            self.sync(kiosk.index)
        problems = self.problems(final=True)
        assert not problems, problems

    # --- observations ----------------------------------------------------------------------------

    def dead_letters(self, k: int) -> list[tuple[str, str | None]]:
        with self.kiosks[k].db.session() as s:
            return [(d.kind, d.error) for d in outbox.dead_letters(s)]

    def snapshot(self) -> tuple:
        """Everything a replay must leave as it was: ledger transactions, balances, reserve states."""
        with self.sessions() as s:
            return (
                s.scalar(select(func.count()).select_from(LedgerTx)),
                tuple(s.execute(select(Account.id, Account.balance).order_by(Account.id)).all()),
                tuple(s.execute(select(ServerReserve.id, ServerReserve.status).order_by(ServerReserve.id)).all()),
            )

    def spend_counts(self) -> dict[str, int]:
        with self.sessions() as s:
            return dict(s.execute(
                select(LedgerTx.idempotency_key, func.count()).where(LedgerTx.kind == "spend")
                .group_by(LedgerTx.idempotency_key)
            ).all())

    def problems(self, *, final: bool = False) -> list[str]:
        """Every broken invariant, server and kiosks; ``final``: every acknowledged spend must be applied."""
        receipts = {key: (kiosk, r) for kiosk in self.kiosks for key, r in kiosk.receipts.items()}
        with self.sessions() as s:
            problems = list(check_invariants(s))
            problems += [f"{rid} balance {b} < 0" for rid in RESIDENTS if (b := resident_balance(s, rid)) < 0]
            total = s.scalar(select(func.coalesce(func.sum(Account.balance), 0)))
            if total != 0 or -balance(s, DEFAULT_ISSUER) != self.awarded:
                problems.append(f"points not conserved: accounts sum to {total}, {self.awarded} awarded")
            applied = s.execute(
                select(LedgerTx.idempotency_key, LedgerTx.resident_id, LedgerTx.beneficiary_id, LedgerTx.amount,
                       LedgerTx.kiosk_id).where(LedgerTx.kind == "spend")
            ).all()
            granted = {(rid, kid): int(n) for rid, kid, n in s.execute(
                select(LedgerTx.reserve_id, LedgerTx.kiosk_id, func.sum(LedgerTx.amount))
                .where(LedgerTx.kind == "reserve").group_by(LedgerTx.reserve_id, LedgerTx.kiosk_id))}
            merchant = balance(s, merchant_account(MERCHANT))
        counts: dict[str, int] = {}
        for key, payer, beneficiary, amount, kiosk_id in applied:
            counts[key] = counts.get(key, 0) + 1
            if key not in receipts:
                problems.append(f"spend {key} applied that no kiosk acknowledged")
                continue
            kiosk, r = receipts[key]
            if (payer, beneficiary, amount, kiosk_id) != (r.payer_id, r.beneficiary_id, r.amount, kiosk.kiosk_id):
                problems.append(f"spend {key} applied differently from its receipt")
        problems += [f"spend {key} applied {n} times" for key, n in counts.items() if n > 1]
        if merchant != sum(receipts[key][1].amount for key in counts if key in receipts):
            problems.append(f"merchant holds {merchant}, not the sum of the spends applied")
        for kiosk in self.kiosks:
            with kiosk.db.session() as s:
                delivered = set(s.scalars(select(OutboxRow.key).where(
                    OutboxRow.state == DELIVERED, OutboxRow.kind == RecordKind.POINTS_SPEND.value)))
                spent = s.execute(select(PointsSpendRow.reserve_id, func.sum(PointsSpendRow.amount))
                                  .group_by(PointsSpendRow.reserve_id)).all()
                dead = outbox.dead_count(s)
                newest_open = {r.resident_id: r.reserve_id for r in s.scalars(
                    select(KioskReserve).where(KioskReserve.released_at.is_(None)).order_by(KioskReserve.granted_at))}
            must = set(kiosk.receipts) if final else delivered
            problems += [f"kiosk {kiosk.index}: acknowledged spend {key} applied {counts.get(key, 0)} times"
                         for key in sorted(must) if counts.get(key, 0) != 1]
            left = {rid: granted.get((rid, kiosk.kiosk_id), 0) - n for rid, n in spent}
            problems += [f"kiosk {kiosk.index}: spent {-n} more than reserve {rid} was granted"
                         for rid, n in left.items() if n < 0]
            for resident, rid in newest_open.items():  # what the wallet offers <= granted - spent here
                if (offered := kiosk.wallet.available(resident)) > left.get(rid, granted.get((rid, kiosk.kiosk_id), 0)):
                    problems.append(f"kiosk {kiosk.index}: offers {offered} of reserve {rid} beyond what is left")
            if dead:
                problems.append(f"kiosk {kiosk.index}: dead letters {self.dead_letters(kiosk.index)}")
        return problems


# --- the state machine ---------------------------------------------------------------------------
