"""Collecting a meter's burst of records until silence: pure state machine and async driver."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Callable

from devices.base import CancelToken, WireLog
from devices.errors import DeviceError
from devices.vitals.ble_dispatch import (
    RACP_REPORT_STORED_RECORDS,
    ProfileSpec,
    dispatch,
    parse_racp_response,
    racp_report_all_records,
    uuid16_to_128,
)
from devices.vitals.readings import CuffPressure

POLL_S = 0.1  # how often the async driver looks at the cancel token and the link


@dataclass
class BurstResult:
    """Everything one session delivered: parsed readings in arrival order, per-record failures
    (InvalidMeasurement/ProtocolError: one bad stored record never loses the others), and why
    the collection ended: silence, disconnected, records_done, deadline or no_data."""

    readings: list[Any] = field(default_factory=list)
    failures: list[DeviceError] = field(default_factory=list)
    progress_count: int = 0
    ended_by: str = ""


class BurstCollector:
    """Pure burst logic with explicit times (seconds on any monotonic clock).

    Before the first result it waits ``first_wait_s`` from ``start_s`` (the person still has
    to press start on the meter), extended while progress keeps arriving; after a result it
    waits ``silence_s`` after the last packet. ``max_duration_s`` caps the whole session.
    """

    def __init__(self, spec: ProfileSpec, *, start_s: float, silence_s: float,
                 first_wait_s: float, max_duration_s: float) -> None:
        self.spec = spec
        self.start_s = start_s
        self.silence_s = silence_s
        self.first_wait_s = first_wait_s
        self.max_duration_s = max_duration_s
        self.last_activity_s: float | None = None
        self.records_done = False
        self.result = BurstResult()
        self._measurement = uuid16_to_128(spec.measurement)
        self._progress = uuid16_to_128(spec.progress) if spec.progress else None
        self._racp = uuid16_to_128(spec.record_access) if spec.record_access else None

    def on_data(self, char_uuid: str, data: bytes, now_s: float) -> CuffPressure | None:
        """Take one notification/indication; returns a CuffPressure to show as progress."""
        self.last_activity_s = now_s
        if char_uuid == self._progress:
            try:
                cuff = dispatch(char_uuid, data)
            except DeviceError:
                return None  # a garbled progress frame only costs one progress update
            self.result.progress_count += 1
            return cuff
        if char_uuid == self._racp:
            response = parse_racp_response(data)
            if response is not None and response[0] == RACP_REPORT_STORED_RECORDS:
                self.records_done = True
            return None
        if char_uuid == self._measurement:
            try:
                self.result.readings.append(dispatch(char_uuid, data))
            except DeviceError as exc:
                self.result.failures.append(exc)
        return None

    def _end_s(self) -> float:
        hard_end = self.start_s + self.max_duration_s
        have_result = bool(self.result.readings or self.result.failures)
        if self.last_activity_s is None:
            end = self.start_s + self.first_wait_s
        elif have_result:
            end = self.last_activity_s + self.silence_s
        else:
            end = max(self.start_s + self.first_wait_s, self.last_activity_s + self.silence_s)
        return min(end, hard_end)

    def wait_s(self, now_s: float) -> float:
        """Seconds still worth waiting for the next packet; <= 0 means the burst is over."""
        if self.records_done:
            return 0.0
        return self._end_s() - now_s

    def finish(self, now_s: float, disconnected: bool = False) -> BurstResult:
        result = self.result
        if self.records_done:
            result.ended_by = "records_done"
        elif disconnected:
            result.ended_by = "disconnected"
        elif now_s >= self.start_s + self.max_duration_s:
            result.ended_by = "deadline"
        elif self.last_activity_s is None:
            result.ended_by = "no_data"
        else:
            result.ended_by = "silence"
        return result


async def collect_burst(
    client: Any,
    spec: ProfileSpec,
    *,
    silence_s: float,
    first_wait_s: float,
    max_duration_s: float,
    cancel: CancelToken | None = None,
    on_progress: Callable[[CuffPressure], None] | None = None,
    wire: WireLog | None = None,
    clock: Callable[[], float] | None = None,
) -> BurstResult:
    """Subscribe on a connected bleak-like ``client`` and collect until the burst ends.

    Runs on the BLE loop. bleak's ``start_notify`` writes the CCCD itself (02 00 for an
    indicating characteristic). ``on_progress`` is called on the loop thread and must return
    quickly. Raises Cancelled when ``cancel`` is set; bleak errors while subscribing propagate
    for the caller to map.
    """
    clock = clock or asyncio.get_running_loop().time
    queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()

    def subscriber(uuid: str) -> Callable[[Any, bytearray], None]:
        # bleak calls this on the loop thread; the uuid is bound here rather than read from
        # the sender so a fake client needs no characteristic objects.
        def on_value(_sender: Any, data: bytearray) -> None:
            queue.put_nowait((uuid, bytes(data)))

        return on_value

    collector = BurstCollector(spec, start_s=clock(), silence_s=silence_s,
                               first_wait_s=first_wait_s, max_duration_s=max_duration_s)
    subscribed: list[str] = []
    try:
        measurement = uuid16_to_128(spec.measurement)
        await client.start_notify(measurement, subscriber(measurement))
        subscribed.append(measurement)
        if spec.progress is not None:
            progress = uuid16_to_128(spec.progress)
            try:
                await client.start_notify(progress, subscriber(progress))
                subscribed.append(progress)
            except Exception as exc:  # optional characteristic; backends raise varied types
                if wire:
                    wire.note(f"no progress characteristic: {type(exc).__name__}")
        if spec.record_access is not None:
            racp = uuid16_to_128(spec.record_access)
            await client.start_notify(racp, subscriber(racp))
            subscribed.append(racp)
            request = racp_report_all_records()
            if wire:
                wire.tx(request)
            await client.write_gatt_char(racp, request, response=True)
        return await _drain(client, collector, queue, clock, cancel, on_progress, wire)
    finally:
        if client.is_connected:
            for uuid in subscribed:
                try:
                    await client.stop_notify(uuid)
                except Exception:  # the meter may drop the link at any moment
                    pass


async def _drain(client: Any, collector: BurstCollector, queue: asyncio.Queue[tuple[str, bytes]],
                 clock: Callable[[], float], cancel: CancelToken | None,
                 on_progress: Callable[[CuffPressure], None] | None,
                 wire: WireLog | None) -> BurstResult:
    while True:
        if cancel is not None:
            cancel.raise_if_cancelled()
        while not queue.empty():
            _take(collector, queue.get_nowait(), clock(), on_progress, wire)
        remaining_s = collector.wait_s(clock())
        if remaining_s <= 0:
            return collector.finish(clock())
        if not client.is_connected:
            return collector.finish(clock(), disconnected=True)
        try:
            item = await asyncio.wait_for(queue.get(), timeout=min(remaining_s, POLL_S))
        except (asyncio.TimeoutError, TimeoutError):
            continue
        _take(collector, item, clock(), on_progress, wire)


def _take(collector: BurstCollector, item: tuple[str, bytes], now_s: float,
          on_progress: Callable[[CuffPressure], None] | None, wire: WireLog | None) -> None:
    uuid, data = item
    if wire:
        wire.rx(data)
    cuff = collector.on_data(uuid, data, now_s)
    if cuff is not None and on_progress is not None:
        on_progress(cuff)
