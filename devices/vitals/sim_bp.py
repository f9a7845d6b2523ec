"""Simulated blood-pressure monitor: ~30 s cuff inflation and deflation spoken in GATT bytes."""

from __future__ import annotations

from datetime import datetime

from devices.base import CancelToken, PromptHandler
from devices.vitals import gatt, sim_gatt
from devices.vitals.base import PROGRESS_CUFF_PRESSURE, Deadline, check_bp_status
from devices.vitals.readings import BloodPressureReading
from devices.vitals.sim import SimVitalsDevice

# (systolic, diastolic, pulse) per outcome; "implausible" encodes fine but no adult shows it.
BP_VALUES = {
    "normal": (118, 76, 72),
    "high": (165, 102, 88),
    "low": (88, 56, 58),
    "implausible": (300, 80, 72),
}
# 0x2A35 measurement status bits the monitor sets for each fault.
STATUS_BITS = {"cuff_error": 0x02, "body_movement": 0x01}

STEP_S = 0.5  # a monitor notifies 0x2A36 about twice a second
INFLATE_S = 8.0
DEFLATE_S = 20.0
PEAK_MIN_MMHG = 180.0
PEAK_ABOVE_SYSTOLIC_MMHG = 30.0  # oscillometric monitors inflate past the expected systolic
DEFLATE_END_MMHG = 40.0


def cuff_curve_mmhg(systolic_mmhg: float) -> list[float]:
    """Cuff pressures, one per step: rise to the peak, slow deflation, then the valve opens."""
    peak = max(PEAK_MIN_MMHG, systolic_mmhg + PEAK_ABOVE_SYSTOLIC_MMHG)
    rise_steps = round(INFLATE_S / STEP_S)
    fall_steps = round(DEFLATE_S / STEP_S)
    rise = [peak * k / rise_steps for k in range(1, rise_steps + 1)]
    fall = [peak - (peak - DEFLATE_END_MMHG) * k / fall_steps for k in range(1, fall_steps + 1)]
    return [float(round(p)) for p in rise + fall] + [0.0]


class SimBloodPressure(SimVitalsDevice):
    """Twin of a BLE upper-arm monitor (Blood Pressure service 0x1810)."""

    role = "bp"
    role_faults = ("cuff_error", "body_movement")

    def _play(
        self, outcome: str, handler: PromptHandler, cancel: CancelToken, deadline: Deadline
    ) -> BloodPressureReading:
        if outcome == "timeout":
            self.hang(cancel, deadline)
        systolic, diastolic, pulse = BP_VALUES.get(outcome, BP_VALUES["normal"])
        curve = cuff_curve_mmhg(systolic)
        for step, pressure in enumerate(curve):
            if outcome == "disconnect" and step == len(curve) // 2:
                self.disconnect_now()
            payload = sim_gatt.intermediate_cuff_pressure(pressure)
            self.wire.rx(payload)
            cuff = gatt.parse_intermediate_cuff_pressure(payload)
            handler.progress(
                PROGRESS_CUFF_PRESSURE, (step + 1) / len(curve), cuff_mmhg=cuff.cuff_mmhg
            )
            self.wait(cancel, deadline, STEP_S)
        mean_arterial = round(diastolic + (systolic - diastolic) / 3)
        payload = sim_gatt.blood_pressure(
            systolic, diastolic, mean_arterial, pulse,
            timestamp=datetime.now().replace(microsecond=0),
            status_bits=STATUS_BITS.get(outcome, 0),
        )
        self.wire.rx(payload)
        reading = gatt.parse_blood_pressure(payload)
        check_bp_status(reading.status)
        return reading
