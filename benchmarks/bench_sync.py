"""Sync budgets: 10,000 queued records to a loopback server (vs one request each), 200 kiosks on PostgreSQL.

The server runs as its own process (``python -m server serve``), like a deployment: clients and
server never share a GIL. Each figure is one real run; the ledger invariants are checked after.
"""

from __future__ import annotations

import concurrent.futures
import statistics
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from kiosk.demo_server import DemoServer
from kiosk.protocol import OutboxRecord, RecordKind
from kiosk.storage import open_database
from kiosk.sync import outbox
from kiosk.sync.enrollment import enroll
from kiosk.sync.relay import Relay
from kiosk.sync.transport import ServerClient

QUEUED = 10_000
ONE_BY_ONE = 500
KIOSKS = 200
PUSHES_PER_KIOSK = 5
RECORDS_PER_PUSH = 5
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _session(db_url: str):  # noqa: ANN202 - a server-side session for set-up and checks
    from server.db import make_engine, make_sessionmaker

    engine = make_engine(db_url)
    return engine, make_sessionmaker(engine)


def _fund(db_url: str, residents: list[str], points: int) -> None:
    from server.ledger.movements import award
    from server.txn import in_transaction

    engine, factory = _session(db_url)
    try:
        in_transaction(factory, lambda s: [
            award(s, rid, points, "harmony", "benchmark float", "system", "bench") for rid in residents
        ])
    finally:
        engine.dispose()


def _codes(db_url: str, count: int) -> list[str]:
    from server.kiosk_admin import new_enrollment_code
    from server.txn import in_transaction

    engine, factory = _session(db_url)
    try:
        now = datetime.now(UTC)
        return in_transaction(factory, lambda s: [
            new_enrollment_code(s, "C-01", ttl_hours=1, now=now) for _ in range(count)
        ])
    finally:
        engine.dispose()


def _residents(db_url: str, count: int) -> list[str]:
    from sqlalchemy import select

    from server.models import Resident

    engine, factory = _session(db_url)
    try:
        with factory() as s:
            return list(s.scalars(select(Resident.id).order_by(Resident.id).limit(count)))
    finally:
        engine.dispose()


def _invariants(db_url: str) -> list[str]:
    from server.ledger.movements import check_invariants

    engine, factory = _session(db_url)
    try:
        with factory() as s:
            return check_invariants(s)
    finally:
        engine.dispose()


def _spend(resident: str, points: int = 1) -> dict:
    return {"payer_id": resident, "beneficiary_id": resident, "amount": points, "purpose": "canteen",
            "merchant_id": "canteen:C-01"}


def _deliver(db, client: ServerClient, resident: str, count: int, batch: int) -> float:  # noqa: ANN001
    db.write(lambda s: [outbox.enqueue(s, RecordKind.POINTS_SPEND.value, _spend(resident)) for _ in range(count)])
    relay = Relay(db, client, push_batch=batch, pull_interval_s=3600)
    start = time.perf_counter()
    relay.step()
    elapsed = time.perf_counter() - start
    with db.session() as s:
        left = outbox.pending_count(s)
    if left:
        raise RuntimeError(f"{left} records were not delivered")
    return elapsed


def delivery() -> list[tuple[str, float, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        server = DemoServer(Path(tmp) / "server")
        url = server.start()
        try:
            resident = _residents(server.db_url, 1)[0]
            _fund(server.db_url, [resident], QUEUED + ONE_BY_ONE + 100)
            db = open_database(Path(tmp) / "kiosk.db")
            client = ServerClient(url, connect_timeout_s=3, read_timeout_s=30, deadline_s=60)
            try:
                enroll(db, client, server.enrollment_code(), "bench kiosk")
                batched = _deliver(db, client, resident, QUEUED, batch=200)
                single = _deliver(db, client, resident, ONE_BY_ONE, batch=1)
            finally:
                client.close()
                db.close()
            problems = _invariants(server.db_url)
        finally:
            server.stop()
    per_single = single / ONE_BY_ONE
    return [
        (f"sync: {QUEUED:,} queued records delivered, batches of 200 (budget <= 10 s)", batched, "s"),
        (f"sync: one request per record ({ONE_BY_ONE} records), per record", per_single * 1000, "ms"),
        ("sync: batched / one-by-one time per record", (batched / QUEUED) / per_single, "x"),
        ("sync: ledger invariant violations after delivery", float(len(problems)), "count"),
    ]


def _postgres_url() -> str | None:
    from sqlalchemy import create_engine, text

    name = f"kiosk_bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception as exc:  # noqa: BLE001 - report, do not fail the other benchmarks
        print(f"PostgreSQL not reachable at 127.0.0.1:5432, 200-kiosk benchmark skipped: {type(exc).__name__}")
        return None
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def _drop(db_url: str) -> None:
    from sqlalchemy import create_engine, text

    name = db_url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _kiosk_worker(url: str, code: str, residents: list[str], seed: int, latencies: list[float],
                  sent: list[uuid.UUID], barrier: threading.Barrier) -> None:
    client = ServerClient(url, connect_timeout_s=10, read_timeout_s=120, deadline_s=180)
    try:
        answer = client.enroll(code, f"bench-{seed}", f"install-{seed}")
        client.credentials = (answer.kiosk_id, answer.secret)
        barrier.wait()
        for push in range(PUSHES_PER_KIOSK):
            records = [
                OutboxRecord(key=uuid.uuid4(), kind=RecordKind.POINTS_SPEND.value,
                             payload=_spend(residents[(seed + push + i) % len(residents)], 1 + i % 3),
                             created_at=datetime.now(UTC))
                for i in range(RECORDS_PER_PUSH)
            ]
            start = time.perf_counter()
            client.push(records)
            if push == 0:  # a lost answer: the same records again must change nothing
                client.push(records)
            latencies.append(time.perf_counter() - start)
            sent.extend(r.key for r in records)
    finally:
        client.close()


def many_kiosks() -> list[tuple[str, float, str]]:
    db_url = _postgres_url()
    if db_url is None:
        return []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            server = DemoServer(Path(tmp), db_url)
            url = server.start()
            try:
                residents = _residents(db_url, 60)
                _fund(db_url, residents, 10_000)
                codes = _codes(db_url, KIOSKS)
                latencies: list[float] = []
                sent: list[uuid.UUID] = []
                barrier = threading.Barrier(KIOSKS + 1)
                with concurrent.futures.ThreadPoolExecutor(KIOSKS) as pool:
                    futures = [pool.submit(_kiosk_worker, url, codes[i], residents, i, latencies, sent, barrier)
                               for i in range(KIOSKS)]
                    barrier.wait()
                    start = time.perf_counter()
                    for future in futures:
                        future.result()
                    elapsed = time.perf_counter() - start
            finally:
                server.stop()
            problems = _invariants(db_url)
            applied = _count_spends(db_url)
    finally:
        _drop(db_url)
    latencies.sort()
    return [
        (f"sync: {KIOSKS} kiosks on PostgreSQL, push p50 ({RECORDS_PER_PUSH} records)", statistics.median(latencies) * 1000, "ms"),
        (f"sync: {KIOSKS} kiosks on PostgreSQL, push p99", latencies[int(len(latencies) * 0.99) - 1] * 1000, "ms"),
        (f"sync: {KIOSKS} kiosks on PostgreSQL, throughput", len(sent) / elapsed, "records/s"),
        ("sync: spends applied / distinct keys sent (must be 1.0)", applied / len(set(sent)), "x"),
        ("sync: ledger invariant violations after 200 kiosks", float(len(problems)), "count"),
    ]


def _count_spends(db_url: str) -> int:
    from sqlalchemy import func, select

    from server.ledger.models import LedgerTx

    engine, factory = _session(db_url)
    try:
        with factory() as s:
            return int(s.scalar(select(func.count()).select_from(LedgerTx).where(LedgerTx.kind == "spend")) or 0)
    finally:
        engine.dispose()


def run() -> list[tuple[str, float, str]]:
    return [*delivery(), *many_kiosks()]
