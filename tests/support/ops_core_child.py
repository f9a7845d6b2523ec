"""A kiosk-core process for the crash tests: the real runtime (database, relay, heartbeat), no UI.

    python ops_core_child.py CONFIG ACK_FILE write COUNT START   # queue COUNT test.count records
    python ops_core_child.py CONFIG ACK_FILE drain                # deliver what is queued, then exit

Each record is one local transaction (like a resident action); "ACK n key" is appended to ACK_FILE
only after its commit returned, like a screen saying "done". The tests kill this process with
SIGKILL at any moment and start it again on the same data folder.
"""

from __future__ import annotations

import sys
import time

from kiosk.config import load
from kiosk.runtime import start_runtime
from kiosk.sync import outbox

COUNT_KIND = "test.count"


def main(argv: list[str]) -> int:
    config_file, ack_file, mode = argv[:3]
    runtime = start_runtime(load(config_file), speech=False, database=True, logs=True)
    try:
        db = runtime.open_database_async().result(timeout=120)
        if not runtime.wait_for_sync_start(120) or runtime.sync is None:
            print("sync did not start", file=sys.stderr)
            return 3
        with open(ack_file, "a", encoding="ascii", buffering=1) as acks:
            if mode == "write":
                count, start = int(argv[3]), int(argv[4])
                for n in range(start, start + count):
                    key = db.write(lambda s, n=n: outbox.enqueue(s, COUNT_KIND, {"n": n}))
                    runtime.sync.relay.wake()
                    acks.write(f"ACK {n} {key}\n")
                acks.write("WRITTEN\n")
                while True:  # keep syncing until killed
                    time.sleep(0.2)
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                runtime.sync.relay.sync_now().result(timeout=120)
                with db.session() as session:
                    if outbox.pending_count(session) == 0:
                        acks.write("DRAINED\n")
                        return 0
            return 4
    finally:
        runtime.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
