"""The A4 PDF health report for the family or the community doctor (QPrinter, written off the Qt thread)."""

from __future__ import annotations

import concurrent.futures

import html
from datetime import datetime
from pathlib import Path

from kiosk import paths
from kiosk.config import KioskConfig
from kiosk.health.measurement import Measurement
from kiosk.health.ranges import Assessment
from kiosk.health.summary import day_text, value_rows
from kiosk.i18n import _, tr
from ui.health_visit import kind_title
from ui.widgets.health_result_row import display_unit

REPORTS_FOLDER = "reports"
HISTORY_ROWS = 10  # per kind, newest first, in the report
DISCLAIMER = "For reference only. It does not replace a doctor's diagnosis."  # health catalogue
LEVEL_WORDS = {0: "✓", 1: "!", 2: "✚", 3: "✚"}  # the icon, printed beside the words (never colour alone)


def report_path(config: KioskConfig, when: datetime) -> Path:
    """A new file in the data folder's reports folder, named by the local time of the check."""
    folder = paths.data_dir(config) / REPORTS_FOLDER
    stamp = when.astimezone().strftime("%Y%m%d-%H%M%S")
    path = folder / f"health-{stamp}.pdf"
    n = 2
    while path.exists():
        path = folder / f"health-{stamp}-{n}.pdf"
        n += 1
    return path


def _values(m: Measurement) -> str:
    return "<br>".join(html.escape(f"{label} {number} {display_unit(unit)}".strip())
                       for label, number, unit in value_rows(m))


def _assessments(assessments: list[Assessment]) -> str:
    return "<br>".join(html.escape(f"{LEVEL_WORDS[a.level]} {_(a.label)}") for a in assessments)


def report_html(*, masked_name: str | None, when: datetime, measurements: list[Measurement],
                assessments_by_kind: dict[str, list[Assessment]],
                history: dict[str, list[Measurement]] | None = None) -> str:
    """The report as HTML in the current language (build it on the Qt thread: it translates)."""
    esc = html.escape
    local = when.astimezone()
    parts = [
        "<html><body style='font-size:12pt'>",
        f"<h1>{esc(_('Health check report'))}</h1>",
        f"<p><b>{esc(_('Name'))}:</b> {esc(masked_name or _('Guest'))}<br>",
        f"<b>{esc(_('Time'))}:</b> {esc(local.strftime('%Y-%m-%d %H:%M'))}</p>",
    ]
    if measurements:
        parts.append(f"<h2>{esc(_('Results of this check'))}</h2>")
        parts.append("<table border='1' cellspacing='0' cellpadding='6' width='100%'>")
        parts.append(f"<tr><th>{esc(_('Measurement'))}</th><th>{esc(_('Value'))}</th>"
                     f"<th>{esc(_('Result'))}</th><th>{esc(_('Advice'))}</th></tr>")
        for m in measurements:
            assessments = assessments_by_kind.get(m.kind, [])
            advice = " ".join(_(a.advice) for a in assessments if a.level > 0) or \
                " ".join(_(a.advice) for a in assessments[:1])
            parts.append(f"<tr><td>{esc(kind_title(m.kind))}</td><td>{_values(m)}</td>"
                         f"<td>{_assessments(assessments)}</td><td>{esc(advice)}</td></tr>")
        parts.append("</table>")
    for kind, series in (history or {}).items():
        if not series:
            continue
        heading = tr("{kind}: the last {count} measurements", kind=kind_title(kind), count=len(series))
        parts.append(f"<h2>{esc(heading)}</h2>")
        parts.append("<table border='1' cellspacing='0' cellpadding='4' width='100%'>")
        parts.append(f"<tr><th>{esc(_('Date'))}</th><th>{esc(_('Value'))}</th></tr>")
        for m in reversed(series):
            parts.append(f"<tr><td>{esc(day_text(m.measured_at))}</td><td>{_values(m)}</td></tr>")
        parts.append("</table>")
    parts.append(f"<p>{esc(_(DISCLAIMER))}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def write_pdf(document_html: str, path: Path) -> Path:
    """Print ``document_html`` to an A4 PDF at ``path``. Qt thread only: QTextDocument uses the
    font database, which other threads must not touch while the UI paints."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
    from PySide6.QtPrintSupport import QPrinter

    path.parent.mkdir(parents=True, exist_ok=True)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    document = QTextDocument()
    document.setHtml(document_html)
    document.print_(printer)
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(f"the PDF report was not written: {path.name}")
    return path


class ReportJob:
    """Read the resident's history (worker), then build the HTML and write the PDF (Qt thread).

    ``on_done(path)`` / ``on_error(exc)`` run on the Qt thread; ``discard()`` drops the outcome.
    """

    def __init__(self, parent, ctx, *, masked_name: str | None, resident_id: str | None,  # noqa: ANN001
                 measurements: list[Measurement], assessments_by_kind: dict[str, list[Assessment]],
                 on_done, on_error, when: datetime | None = None) -> None:  # noqa: ANN001
        from datetime import timezone

        from ui.tasks import watch

        self._parent, self._ctx, self._watch = parent, ctx, watch
        self._on_done, self._on_error = on_done, on_error
        self._masked_name, self._measurements = masked_name, list(measurements)
        self._assessments = dict(assessments_by_kind)
        self._when = when or datetime.now(timezone.utc)
        runtime, database = ctx.runtime, getattr(ctx.runtime, "database", None)

        def read() -> dict[str, list[Measurement]]:
            if resident_id is None or database is None:
                return {}
            from kiosk.health import store
            from kiosk.health.measurement import KINDS

            with database.session() as session:
                return {kind: store.history(session, resident_id, kind, limit=HISTORY_ROWS) for kind in KINDS}

        self._watcher = watch(parent, runtime.run_blocking(read), self._write, on_error)

    def _write(self, history: dict[str, list[Measurement]]) -> None:
        document = report_html(masked_name=self._masked_name, when=self._when, measurements=self._measurements,
                               assessments_by_kind=self._assessments, history=history)
        path = report_path(self._ctx.config, self._when)
        # On the Qt thread: QTextDocument lays text out with the font database, which is not
        # thread-safe (a worker here crashed the process with a segfault while the UI painted).
        # A one- or two-page report takes tens of milliseconds.
        future: concurrent.futures.Future[Path] = concurrent.futures.Future()
        try:
            future.set_result(write_pdf(document, path))
        except Exception as exc:  # noqa: BLE001 - reported to the screen through on_error
            future.set_exception(exc)
        self._watcher = self._watch(self._parent, future, self._on_done, self._on_error)

    def discard(self) -> None:
        self._watcher.discard()

