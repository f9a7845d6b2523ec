"""``kiosk-server request show``: one request in lines (timeline, timers, media), media saved on request."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from server.requests.media import media_of
from server.requests.workflow import events_of, get_request, overdue_flags

_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "audio/wav": ".wav", "audio/x-wav": ".wav",
               "audio/ogg": ".ogg", "audio/mp4": ".m4a", "audio/mpeg": ".mp3", "audio/webm": ".webm"}


def _t(when: datetime | None) -> str:
    return when.isoformat(timespec="minutes") if when else "-"


def show_request(session: Session, tracking_no: str, now: datetime, media_dir: str | None = None) -> list[str]:
    """Lines describing the request; writes complete media files to ``media_dir`` when given.

    The resident appears by id only (names and phones stay in the register).
    """
    r = get_request(session, tracking_no)
    lines = [
        f"tracking_no\t{r.tracking_no}", f"status\t{r.status}", f"category\t{r.category}",
        f"place\t{r.location}", f"urgency\t{r.urgency}", f"source\t{r.source}\t{r.kiosk_id or r.open311_client or '-'}",
        f"resident\t{r.resident_id or '-'}", f"description\t{r.description}",
        f"accept_due\t{_t(r.accept_due)}\taccepted\t{_t(r.accepted_at)}",
        f"resolve_due\t{_t(r.resolve_due)}\tresolved\t{_t(r.resolved_at)}",
        f"callback_due\t{_t(r.callback_due)}\tcalled back\t{_t(r.callback_at)}",
        f"overdue\t{','.join(overdue_flags(r, now)) or '-'}",
        f"rating\t{r.rating if r.rating is not None else '-'}",
        f"points\t{r.points_awarded}\t{r.points_reason or '-'}",
    ]
    lines += [f"event\t{_t(e.at)}\t{e.status}\t{e.actor or '-'}\t{e.note}" for e in events_of(session, tracking_no)]
    folder = Path(media_dir) if media_dir else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    for m in media_of(session, tracking_no):
        state = "complete" if m.data is not None else "waiting"
        line = f"media\t{m.kind}\t{m.mime}\t{m.size}\t{m.sha256[:12]}\t{state}"
        if folder is not None and m.data is not None:
            path = folder / f"{r.tracking_no}-{m.kind}-{m.sha256[:12]}{_EXTENSIONS.get(m.mime, '.bin')}"
            path.write_bytes(m.data)
            line += f"\t{path}"
        lines.append(line)
    return lines
