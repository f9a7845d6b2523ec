"""A scripted stand-in for bleak's BleakClient: replays a meter's packets (tests, demos)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Callable

from devices.vitals.ble_dispatch import normalise_uuid


@dataclass(frozen=True)
class Send:
    """The meter sends ``data`` on characteristic ``char`` (16-bit or 128-bit UUID)."""

    char: int | str
    data: bytes


@dataclass(frozen=True)
class Pause:
    """The meter is quiet for ``seconds`` (real time on the loop)."""

    seconds: float


@dataclass(frozen=True)
class Drop:
    """The meter ends the link, as meters do after their stored-record burst."""


Step = Send | Pause | Drop


@dataclass
class ScriptedBleClient:
    """Duck-types the BleakClient calls the transport uses.

    The script starts once ``trigger`` is subscribed (or, when ``trigger_on_write`` is set,
    once that characteristic is written, like a glucose meter's RACP). Packets for
    characteristics nobody subscribed to are lost, as over the air. ``missing`` lists
    characteristics the device lacks: subscribing to them raises like bleak does.
    ``connect_failures`` makes that many ``connect`` calls fail first.
    """

    script: list[Step]
    trigger: int | str
    trigger_on_write: bool = False
    missing: tuple[int | str, ...] = ()
    connect_failures: int = 0
    address: str = "AA:BB:CC:DD:EE:FF"
    connected: bool = False
    paired: bool = False
    connects: int = 0
    writes: list[tuple[str, bytes]] = field(default_factory=list)
    subscribed: dict[str, Callable[[Any, bytearray], None]] = field(default_factory=dict)
    stopped: list[str] = field(default_factory=list)
    _task: asyncio.Task[None] | None = field(default=None, init=False, repr=False)

    @property
    def is_connected(self) -> bool:
        return self.connected

    async def connect(self, **_: Any) -> bool:
        self.connects += 1
        if self.connect_failures > 0:
            self.connect_failures -= 1
            raise OSError("scripted connection failure")
        self.connected = True
        return True

    async def pair(self, **_: Any) -> bool:
        self.paired = True
        return True

    async def disconnect(self) -> bool:
        self.connected = False
        if self._task is not None and not self._task.done():
            self._task.cancel()
        return True

    async def start_notify(self, char: Any, callback: Callable[[Any, bytearray], None],
                           **_: Any) -> None:
        uuid = normalise_uuid(char)
        if not self.connected:
            raise OSError("not connected")
        if uuid in {normalise_uuid(m) for m in self.missing}:
            raise ValueError(f"characteristic {uuid} not found")
        self.subscribed[uuid] = callback
        if not self.trigger_on_write and uuid == normalise_uuid(self.trigger):
            self._start()

    async def stop_notify(self, char: Any) -> None:
        uuid = normalise_uuid(char)
        self.subscribed.pop(uuid, None)
        self.stopped.append(uuid)

    async def write_gatt_char(self, char: Any, data: bytes, response: bool | None = None) -> None:
        uuid = normalise_uuid(char)
        self.writes.append((uuid, bytes(data)))
        if self.trigger_on_write and uuid == normalise_uuid(self.trigger):
            self._start()

    def _start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._replay())

    async def _replay(self) -> None:
        for step in self.script:
            await asyncio.sleep(0)  # let the receiver run between packets, like radio events
            if isinstance(step, Pause):
                await asyncio.sleep(step.seconds)
            elif isinstance(step, Drop):
                self.connected = False
                return
            elif isinstance(step, Send):
                callback = self.subscribed.get(normalise_uuid(step.char))
                if callback is not None and self.connected:
                    callback(step.char, bytearray(step.data))
