"""Trend chart (QtCharts) of one kind's last measurements over shaded reference bands."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCharts import QAreaSeries, QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen

from kiosk.health.measurement import Measurement
from kiosk.health.ranges import HealthThresholds
from kiosk.i18n import N_, _
from ui.health_style import half_scaled
from ui.theme import BODY_PX, SMALL_PX, Tokens

# value name -> line label, per kind (BP shows systolic and diastolic).
LINES: dict[str, tuple[tuple[str, str], ...]] = {
    "bp": (("systolic_mmhg", N_("Systolic (upper)")), ("diastolic_mmhg", N_("Diastolic (lower)"))),
    "spo2": (("spo2_pct", N_("Blood oxygen")),),
    "temperature": (("temperature_c", N_("Temperature")),),
    "weight": (("weight_kg", N_("Weight")),),
    "glucose": (("glucose_mmol_l", N_("Blood sugar")),),
}
UNITS = {"bp": N_("mmHg"), "spo2": "%", "temperature": "°C", "weight": N_("kg"), "glucose": N_("mmol/L")}


def unit_words(kind: str) -> str:
    """The chart's unit, for the heading above it (the axis keeps the plot's room)."""
    unit = UNITS[kind]
    return unit if unit in ("%", "°C") else _(unit)
BAND_NAMES = {0: N_("Normal range"), 1: N_("Take note"), 2: N_("See the doctor")}
# Blood pressure is shaded by the upper (systolic) grades; the lower number's doctor line is drawn dashed.
BP_BAND_NAMES = {0: N_("Normal (upper number)"), 1: N_("Take note (upper number)"),
                 2: N_("See the doctor (upper number)")}
BP_LOWER_LINE = N_("See the doctor (lower number)")
LINE_WIDTH_PX = 5
DAY_MS = 86_400_000


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    level: int  # 0 normal, 1 take note, 2 see the doctor


def bands_for(kind: str, t: HealthThresholds, height_m: float | None = None) -> list[Band]:
    """The reference bands of a kind's main value from the configured thresholds.

    BP is shaded by the systolic grades; weight by the BMI bands at the resident's height.
    """
    if kind == "bp":
        return [Band(0, t.bp_high_normal_systolic_mmhg, 0),
                Band(t.bp_high_normal_systolic_mmhg, t.bp_grade2_systolic_mmhg, 1),
                Band(t.bp_grade2_systolic_mmhg, 300, 2)]
    if kind == "spo2":
        return [Band(0, t.spo2_doctor_below_pct, 2), Band(t.spo2_doctor_below_pct, t.spo2_normal_from_pct, 1),
                Band(t.spo2_normal_from_pct, 100, 0)]
    if kind == "temperature":
        return [Band(30, t.temperature_fever_from_c, 0),
                Band(t.temperature_fever_from_c, t.temperature_moderate_above_c, 1),
                Band(t.temperature_moderate_above_c, 45, 2)]
    if kind == "glucose":
        return [Band(0, t.glucose_low_below_mmol_l, 2),
                Band(t.glucose_low_below_mmol_l, t.glucose_impaired_above_mmol_l, 0),
                Band(t.glucose_impaired_above_mmol_l, t.glucose_diabetic_from_mmol_l, 1),
                Band(t.glucose_diabetic_from_mmol_l, 40, 2)]
    if kind == "weight" and height_m:
        square = height_m * height_m
        return [Band(0, t.bmi_underweight_below * square, 1),
                Band(t.bmi_underweight_below * square, t.bmi_overweight_from * square, 0),
                Band(t.bmi_overweight_from * square, 300, 1)]
    return []


def nice_step(span: float, max_ticks: int) -> float:
    """The smallest round tick interval that cuts ``span`` into at most ``max_ticks`` pieces."""
    for step in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 25, 50, 100):
        if span / step <= max_ticks:
            return float(step)
    return 100.0


def _ms(m: Measurement) -> float:
    return float(m.measured_at.timestamp() * 1000)


class VitalsChart(QChartView):
    """``show_series(kind, measurements, thresholds, tokens)`` draws lines over shaded bands."""

    def __init__(self, object_name: str = "vitalsChart") -> None:
        self._chart = QChart()
        super().__init__(self._chart)
        self.setObjectName(object_name)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QChartView.Shape.NoFrame)
        self._chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self._chart.setMargins(QMargins(8, 8, 8, 8))
        self.kind = ""
        self.line_names: list[str] = []
        self.band_levels: list[int] = []
        self._edges: list[QLineSeries] = []  # an area series does not own its edge lines

    def clear(self) -> None:
        """Drop every series (end of a session)."""
        self._chart.removeAllSeries()
        self.line_names, self.band_levels, self._edges = [], [], []

    def show_series(self, kind: str, measurements: list[Measurement], thresholds: HealthThresholds,
                    tokens: Tokens) -> None:
        chart, p = self._chart, tokens.palette
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.kind = kind
        font = QFont()
        font.setPixelSize(half_scaled(tokens, BODY_PX))  # 32 px at 1x, 40 px at 1.5x: room for the lines
        font.setBold(True)
        ink = QColor(p.text)
        chart.setBackgroundBrush(QColor(p.surface))
        self.setBackgroundBrush(QColor(p.surface))  # the view around the chart, not the default white
        chart.setBackgroundRoundness(0)
        chart.setPlotAreaBackgroundVisible(False)
        legend_font = QFont(font)
        legend_font.setPixelSize(SMALL_PX)  # beside the plot: six entries fit its height at any scale
        chart.legend().setFont(legend_font)
        chart.legend().setLabelColor(ink)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        x_axis, y_axis = QDateTimeAxis(), QValueAxis()
        for axis in (x_axis, y_axis):
            axis.setLabelsFont(font)
            axis.setLabelsColor(ink)
            axis.setLinePen(QPen(ink, 2))
            axis.setGridLinePen(QPen(QColor(p.border), 1, Qt.PenStyle.DotLine))
        x_axis.setFormat("M/d")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)

        times = [_ms(m) for m in measurements] or [0.0]
        x_low, x_high = min(times), max(times)
        if x_high - x_low < DAY_MS:
            x_low, x_high = x_low - DAY_MS, x_high + DAY_MS
        values = [m.values[name] for m in measurements for name, _label in LINES[kind] if name in m.values]
        height = next((m.values.get("height_m") for m in reversed(measurements) if m.values.get("height_m")), None)
        bands = bands_for(kind, thresholds, height)
        edges = [b.low for b in bands[1:]]
        low = min(values + edges[:1]) if values else (min(edges) if edges else 0.0)
        high = max(values + edges[-1:]) if values else (max(edges) if edges else 1.0)
        pad = max((high - low) * 0.12, 1.0 if kind != "temperature" else 0.2)
        step = nice_step(high - low + 2 * pad, 6 if tokens.scale <= 1.0 else 3)  # big labels need room
        y_low, y_high = step * math.floor((low - pad) / step), step * math.ceil((high + pad) / step)

        self.band_levels, self._edges = [], []
        colours = {0: p.ok, 1: p.warn, 2: p.alert}
        named: set[int] = set()
        for band in bands:
            top, bottom = min(band.high, y_high), max(band.low, y_low)
            if top <= bottom:
                continue
            upper, lower = QLineSeries(), QLineSeries()
            for x in (x_low, x_high):
                upper.append(x, top)
                lower.append(x, bottom)
            self._edges += [upper, lower]
            area = QAreaSeries(upper, lower)
            area.setName(_((BP_BAND_NAMES if kind == "bp" else BAND_NAMES)[band.level]))
            colour = QColor(colours[band.level])
            if colour == QColor(p.background):  # high contrast: every colour is black, hatch instead
                area.setBrush(QBrush(QColor(p.muted_text), (Qt.BrushStyle.Dense7Pattern, Qt.BrushStyle.BDiagPattern,
                                                            Qt.BrushStyle.DiagCrossPattern)[band.level]))
            else:
                colour.setAlpha(48 + 24 * band.level)
                area.setBrush(QBrush(colour))
            area.setPen(QPen(Qt.PenStyle.NoPen))
            chart.addSeries(area)
            area.attachAxis(x_axis)
            area.attachAxis(y_axis)
            if band.level in named:  # one legend entry per level
                chart.legend().markers(area)[0].setVisible(False)
            named.add(band.level)
            self.band_levels.append(band.level)

        if kind == "bp" and y_low < thresholds.bp_grade2_diastolic_mmhg < y_high:
            limit = QLineSeries()
            limit.setName(_(BP_LOWER_LINE))
            for x in (x_low, x_high):
                limit.append(x, thresholds.bp_grade2_diastolic_mmhg)
            limit.setPen(QPen(QColor(colours[2] if colours[2] != p.background else p.text), 3, Qt.PenStyle.DotLine))
            chart.addSeries(limit)
            limit.attachAxis(x_axis)
            limit.attachAxis(y_axis)
        self.line_names = []
        styles = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine)
        for index, (name, label) in enumerate(LINES[kind]):
            series = QLineSeries()
            series.setName(_(label))
            for m in measurements:
                if name in m.values:
                    series.append(_ms(m), m.values[name])
            pen = QPen(QColor(p.text if index == 0 else p.primary if p.primary != p.background else p.border),
                       LINE_WIDTH_PX, styles[index % 2])
            series.setPen(pen)
            series.setPointsVisible(True)
            series.setMarkerSize(12)
            chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
            self.line_names.append(name)
        x_axis.setRange(QDateTime.fromMSecsSinceEpoch(int(x_low)), QDateTime.fromMSecsSinceEpoch(int(x_high)))
        x_axis.setTickCount(6)
        y_axis.setRange(y_low, y_high)
        y_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        y_axis.setTickAnchor(0.0)
        y_axis.setTickInterval(step)  # ticks at round values: 80, 100, 120...
        y_axis.setLabelFormat("%.1f" if step < 1 else "%.0f")
        self.setAccessibleName(_(LINES[kind][0][1]))
