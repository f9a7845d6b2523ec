"""Typed, validated kiosk configuration from TOML: one declaration per setting, versioned."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Literal

from kiosk.config_schema import Field, SchemaError, Section, check

CONFIG_VERSION = 1
DEFAULT_CONFIG_PATH = Path(__file__).resolve().parent.parent / "assets" / "default_config.toml"
FONT_SCALES = (1.0, 1.25, 1.5)


class ConfigError(Exception):
    """A configuration file that cannot be used; ``key`` names the setting at fault."""

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        self.path = str(path)
        self.key = key
        self.problem = problem
        super().__init__(f"{path}: {key}: {problem}")


class _Section(Section):
    """Unknown keys are refused and every assignment is checked."""


class KioskSection(_Section):
    name: str = Field("社区服务终端", description="Name shown to technicians and sent to the server.")
    data_dir: str = Field("", description="Database and state folder; empty = platformdirs user data dir.")
    log_dir: str = Field("", description="Log folder; empty = platformdirs user log dir.")
    demo: bool = Field(False, description="Run on simulated devices with demo data.")


class UiSection(_Section):
    language: Literal["zh_CN", "en"] = Field("zh_CN", description="Default language after each session.")
    font_scale: float = Field(1.0, description="Default text size: 1.0, 1.25 or 1.5.")
    theme: Literal["standard", "high_contrast"] = Field("standard", description="Colour theme.")
    fullscreen: bool = Field(True, description="Full screen without window decorations.")
    width_px: int = Field(1920, ge=800, le=7680, description="Window width when not full screen.")
    height_px: int = Field(1080, ge=600, le=4320, description="Window height when not full screen.")

    @check("font_scale")
    def _scale(cls, value: float) -> float:
        if value not in FONT_SCALES:
            raise ValueError(f"must be one of {', '.join(map(str, FONT_SCALES))}")
        return value


class SessionSection(_Section):
    idle_timeout_s: float = Field(60.0, gt=5, le=3600, description="Idle time before the countdown.")
    countdown_s: int = Field(15, ge=5, le=120, description="Spoken countdown before a session ends.")


class VoiceSection(_Section):
    enabled: bool = Field(True, description="Speak every screen.")
    backend: Literal["pyttsx3", "null"] = Field("pyttsx3", description="Speech engine driver id.")
    rate_wpm: int = Field(140, ge=80, le=300, description="Words per minute; slower suits elderly listeners.")
    volume: float = Field(0.8, ge=0.1, le=1.0, description="Default volume (0.1-1.0), reset after each user.")
    voice_zh_CN: str = Field("", description="Voice id for Mandarin; empty = chosen per OS.")
    voice_en: str = Field("", description="Voice id for English; empty = chosen per OS.")
    player: str = Field("", description="Audio player command; empty = first of aplay, paplay, pw-play.")
    required: bool = Field(False, description="Doctor fails when speech is unavailable.")


class ServerSection(_Section):
    url: str = Field("", description="Community server base URL; empty = offline only.")
    required: bool = Field(False, description="Doctor fails when the server cannot be reached.")
    ca_bundle: str = Field("", description="PEM file of the CA that signed the server's certificate; empty = system CAs.")
    connect_timeout_s: float = Field(5.0, gt=0, le=60, description="Time to open a connection to the server.")
    read_timeout_s: float = Field(15.0, gt=0, le=300, description="Longest silence while waiting for the server.")
    deadline_s: float = Field(30.0, gt=0, le=600, description="Longest time one request may take in total.")
    push_batch: int = Field(200, ge=1, le=500, description="Outbox records sent per request.")
    pull_interval_s: float = Field(60.0, ge=1, le=3600, description="Time between pulls of the changes feed when idle.")
    backoff_base_s: float = Field(1.0, gt=0, le=60, description="First retry delay after a failure (doubles each time, jittered).")
    backoff_cap_s: float = Field(300.0, ge=1, le=3600, description="Longest retry delay after repeated failures.")
    refused_retry_s: float = Field(300.0, ge=10, le=86400, description="Retry interval while the server refuses this kiosk.")
    enrollment_code: str = Field("", description="One-time code from `kiosk-server kiosk enroll-code`, used once if not enrolled.")


class DeviceRole(Section):
    """One device role: the driver id plus that driver's options."""

    allow_extra = True
    driver: str = Field(description="Driver id registered for this role.")
    required: bool = Field(False, description="Doctor fails when this device is unusable.")

    @property
    def options(self) -> dict[str, Any]:
        return self.model_extra


class TechnicianSection(_Section):
    pin_hash: str = Field("", description="scrypt hash of the technician PIN (`kiosk technician set-pin`); empty = no PIN sign-in.")

    @check("pin_hash")
    def _pin_hash(cls, value: str) -> str:
        if value:
            from kiosk.protocol import parse_pin_hash

            parse_pin_hash(value)  # ValueError names the problem
        return value


class OpsSection(_Section):
    heartbeat_interval_s: float = Field(60.0, ge=10, le=3600, description="Time between heartbeats to the server.")
    staff_idle_timeout_s: float = Field(300.0, ge=30, le=3600, description="Staff and technician sessions end after this idle time.")


_DEFAULT_HEALTH_ALERTS = (
    "bp.grade2,bp.grade3,spo2.see_doctor,temperature.moderate_fever,temperature.high_fever,glucose.low,glucose.diabetic"
)


class HealthSection(_Section):
    """Health cabin: screening thresholds (STANDARDS s7, Chinese guidelines), alerts and retention.

    "from" thresholds include the value, "above" ones exclude it, "below" ones exclude it;
    values are compared as shown (BP/SpO2 whole numbers, the rest one decimal).
    """

    retention_days: int = Field(30, ge=1, le=3650, description="Days a resident's synced measurements stay on the kiosk.")
    bp_high_normal_systolic_mmhg: float = Field(120.0, gt=0, description="Systolic from which BP is high-normal.")
    bp_high_normal_diastolic_mmhg: float = Field(80.0, gt=0, description="Diastolic from which BP is high-normal.")
    bp_grade1_systolic_mmhg: float = Field(140.0, gt=0, description="Systolic from which BP is grade 1.")
    bp_grade1_diastolic_mmhg: float = Field(90.0, gt=0, description="Diastolic from which BP is grade 1.")
    bp_grade2_systolic_mmhg: float = Field(160.0, gt=0, description="Systolic from which BP is grade 2.")
    bp_grade2_diastolic_mmhg: float = Field(100.0, gt=0, description="Diastolic from which BP is grade 2.")
    bp_grade3_systolic_mmhg: float = Field(180.0, gt=0, description="Systolic from which BP is grade 3.")
    bp_grade3_diastolic_mmhg: float = Field(110.0, gt=0, description="Diastolic from which BP is grade 3.")
    pulse_slow_below_bpm: float = Field(60.0, gt=0, description="Resting pulse below this is slow.")
    pulse_fast_above_bpm: float = Field(100.0, gt=0, description="Resting pulse above this is fast.")
    spo2_normal_from_pct: float = Field(95.0, gt=0, le=100, description="SpO2 from which it is normal.")
    spo2_doctor_below_pct: float = Field(90.0, gt=0, le=100, description="SpO2 below which to see a doctor.")
    temperature_fever_from_c: float = Field(37.3, gt=30, description="Temperature from which it is a (low) fever.")
    temperature_moderate_above_c: float = Field(38.0, gt=30, description="Temperature above which the fever is moderate.")
    temperature_high_above_c: float = Field(39.0, gt=30, description="Temperature above which the fever is high.")
    bmi_underweight_below: float = Field(18.5, gt=0, description="BMI below which is underweight (WS/T 428-2013).")
    bmi_overweight_from: float = Field(24.0, gt=0, description="BMI from which is overweight.")
    bmi_obese_from: float = Field(28.0, gt=0, description="BMI from which is obese.")
    glucose_low_below_mmol_l: float = Field(3.9, gt=0, description="Fasting glucose below which is low.")
    glucose_impaired_above_mmol_l: float = Field(6.0, gt=0, description="Fasting glucose above which is impaired.")
    glucose_diabetic_from_mmol_l: float = Field(7.0, gt=0, description="Fasting glucose from which is in the diabetic range.")
    alert_categories: str = Field(
        _DEFAULT_HEALTH_ALERTS,
        description="Comma-separated categories sent to the community doctor's follow-up list.",
    )

    @check("alert_categories")
    def _alerts(cls, value: str) -> str:
        from kiosk.health.categories import parse_category_list

        parse_category_list(value)
        return value

    # (lower key, higher key): each pair must rise, or the bands would overlap.
    ORDER: ClassVar[tuple[tuple[str, str], ...]] = (
        ("bp_high_normal_systolic_mmhg", "bp_grade1_systolic_mmhg"),
        ("bp_grade1_systolic_mmhg", "bp_grade2_systolic_mmhg"),
        ("bp_grade2_systolic_mmhg", "bp_grade3_systolic_mmhg"),
        ("bp_high_normal_diastolic_mmhg", "bp_grade1_diastolic_mmhg"),
        ("bp_grade1_diastolic_mmhg", "bp_grade2_diastolic_mmhg"),
        ("bp_grade2_diastolic_mmhg", "bp_grade3_diastolic_mmhg"),
        ("pulse_slow_below_bpm", "pulse_fast_above_bpm"),
        ("spo2_doctor_below_pct", "spo2_normal_from_pct"),
        ("temperature_fever_from_c", "temperature_moderate_above_c"),
        ("temperature_moderate_above_c", "temperature_high_above_c"),
        ("bmi_underweight_below", "bmi_overweight_from"),
        ("bmi_overweight_from", "bmi_obese_from"),
        ("glucose_low_below_mmol_l", "glucose_impaired_above_mmol_l"),
        ("glucose_impaired_above_mmol_l", "glucose_diabetic_from_mmol_l"),
    )

    def order_problem(self) -> tuple[str, str] | None:
        """(key, problem) for the first threshold not above the one below it, else None."""
        for low, high in self.ORDER:
            if getattr(self, high) <= getattr(self, low):
                return high, f"must be more than health.{low} ({getattr(self, low):g})"
        return None


class KioskConfig(_Section):
    version: int = Field(CONFIG_VERSION, description="Configuration format version.")
    health: HealthSection = Field(default_factory=HealthSection)
    kiosk: KioskSection = Field(default_factory=KioskSection)
    ui: UiSection = Field(default_factory=UiSection)
    session: SessionSection = Field(default_factory=SessionSection)
    voice: VoiceSection = Field(default_factory=VoiceSection)
    server: ServerSection = Field(default_factory=ServerSection)
    technician: TechnicianSection = Field(default_factory=TechnicianSection)
    ops: OpsSection = Field(default_factory=OpsSection)
    devices: dict[str, DeviceRole] = Field(
        default_factory=dict, description="Device roles (bp, spo2, printer, ...): a driver id and its options."
    )


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    """Bring an older file's dictionary up to CONFIG_VERSION (one step per version)."""
    version = raw.get("version", 0)
    if not isinstance(version, int):
        raise ValueError("version must be a whole number")
    if version > CONFIG_VERSION:
        raise ValueError(f"file is version {version}; this kiosk understands up to {CONFIG_VERSION}")
    if version == 0:  # version 0 had a flat [voice] rate in espeak units and no version key
        voice = raw.get("voice", {})
        if isinstance(voice, dict) and "rate" in voice:
            voice["rate_wpm"] = voice.pop("rate")
        raw["version"] = 1
    return raw


def parse(raw: dict[str, Any], source: Path | str = "<config>") -> KioskConfig:
    try:
        raw = migrate(dict(raw))
    except ValueError as exc:
        raise ConfigError(source, "version", str(exc)) from None
    try:
        config = KioskConfig.model_validate(raw)
    except SchemaError as exc:
        raise ConfigError(source, ".".join(exc.loc) or "(file)", exc.problem) from None
    health_problem = config.health.order_problem()
    if health_problem:
        raise ConfigError(source, f"health.{health_problem[0]}", health_problem[1])
    return config


def load(path: Path | str | None = None) -> KioskConfig:
    """Read and validate a TOML file (the default in assets/ when ``path`` is None)."""
    path = Path(path) if path else DEFAULT_CONFIG_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, "(file)", f"cannot be read: {exc.strerror or exc}") from None
    return parse(_read_toml(text, path), path)


def _read_toml(text: str, path: Path) -> dict[str, Any]:
    """``tomllib.loads(text)``, remembered in the start-up cache under the text's checksum.

    tomllib compiles its regular expressions on import (~6 ms); the kiosk's first paint need
    not wait for that when the file has not changed since the last start. Validation (parse)
    runs every time.
    """
    from kiosk import startup_cache

    name = f"config-{startup_cache.checksum(text.encode('utf-8'))}.marshal"
    raw = startup_cache.read_value(name)
    if isinstance(raw, dict):
        return raw
    import tomllib

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "(syntax)", str(exc)) from None
    startup_cache.write_value(name, raw)  # TOML dates have no marshal form: such a file is parsed every time
    return raw


def documented_settings() -> list[tuple[str, str, Any]]:
    """Every setting as (dotted key, description, default), for docs and the technician view."""
    rows: list[tuple[str, str, Any]] = []
    for section_name, section_field in KioskConfig.model_fields.items():
        annotation = section_field.annotation
        if isinstance(annotation, type) and issubclass(annotation, Section):
            for name, field in annotation.model_fields.items():
                rows.append((f"{section_name}.{name}", field.description or "", field.default))
        else:
            rows.append((section_name, section_field.description or "", section_field.default))
    return rows
