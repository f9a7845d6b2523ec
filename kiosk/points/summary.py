"""My points: balance, history in plain words, family view, how to earn more, the building leaderboard."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.i18n import N_, _, current_language, tr
from kiosk.points.models import LeaderboardChoice, PointsProfileCache, PointsSpendRow
from kiosk.points.wallet import Wallet
from kiosk.protocol import ChangeKind, LeaderboardOptIn, PointsProfile, RecordKind
from kiosk.residents import Resident, family_of
from kiosk.storage.column_types import utc_now
from kiosk.sync import outbox
from kiosk.sync.errors import SyncError
from kiosk.sync.models import PENDING, BalanceCache, OutboxRow, ServerCache
from kiosk.sync.pull import settings

log = logging.getLogger(__name__)

EARNING_RULES_SETTING = "points.earning_rules"
DIMENSION_WORDS = {
    "harmony": N_("Harmony points"), "civility": N_("Civility points"), "governance": N_("Community affairs points"),
    "integrity": N_("Integrity points"), "future": N_("Future points"),
}
PURPOSE_WORDS = {
    "canteen": N_("Canteen meal"), "shop": N_("Shopping"), "activity": N_("Activity"), "venue": N_("Venue booking"),
    "haircut": N_("Haircut"), "other": N_("Other spending"),
}
RULE_WORDS = {
    "activity_checkin": N_("Activity check-in"), "activity_leader": N_("Leading an activity"),
    "community_talent": N_("Community talent"),
}


@dataclass(frozen=True)
class PointsEntry:
    what: str  # plain words in the current language: "Canteen meal", "Activity check-in", "Refund: ..."
    where: str  # a place ("葛巷社区 canteen") or ""
    when: datetime
    delta: int  # + earned, - spent
    pending: bool = False  # made here offline, not yet confirmed by the server
    reversed: bool = False  # later given back or taken back


@dataclass(frozen=True)
class Rule:
    text_zh: str
    text_en: str
    points: int
    rule_id: str = ""

    def text(self) -> str:
        """The rule in the current language."""
        return self.text_zh if current_language() == "zh_CN" else self.text_en


def _words(kind: str, category: str | None, rule: str | None) -> str:
    if kind == "spend":
        return _(PURPOSE_WORDS.get(category or "other", PURPOSE_WORDS["other"]))
    if rule in RULE_WORDS:
        return _(RULE_WORDS[rule])
    if category in DIMENSION_WORDS:
        return _(DIMENSION_WORDS[category])
    return _(N_("Points"))


def plain_what(kind: str, category: str | None, rule: str | None = None) -> str:
    """What a ledger line was, in plain words (a reversal says what it gave back)."""
    if kind == "reversal":
        return tr("Given back: {what}", what=_words("spend" if category in PURPOSE_WORDS else "award", category, rule))
    return _words(kind, category, rule)


def plain_where(kind: str, category: str | None, where: str) -> str:
    if not where:
        return ""
    if category == "canteen":
        return tr("{place} canteen", place=where)
    return where


def profile(session: Session, resident_id: str) -> PointsProfile | None:
    """The last profile fetched from the server for the resident, or None."""
    row = session.get(PointsProfileCache, resident_id)
    if row is None:
        return None
    try:
        return PointsProfile.model_validate(row.data)
    except ValidationError:
        return None


def refresh_profile(source: object, resident_id: str) -> PointsProfile | None:
    """Fetch the resident's profile (balance, history, building, opt-in) and keep it; the cached one
    when the server cannot be reached. Worker thread."""
    from kiosk.canteen import remote
    from kiosk.canteen.link import as_link

    link = as_link(source)
    if link.client is not None:
        try:
            fresh = remote.profile(link.client, resident_id)
        except SyncError as exc:
            log.info("points profile not fetched: %s", exc.key)
        else:
            def store(session: Session) -> None:
                row = session.get(PointsProfileCache, resident_id)
                data = fresh.model_dump(mode="json")
                if row is None:
                    session.add(PointsProfileCache(resident_id=resident_id, data=data, fetched_at=utc_now()))
                else:
                    row.data, row.fetched_at = data, utc_now()
                cached = session.get(BalanceCache, resident_id)
                if cached is None:
                    session.add(BalanceCache(resident_id=resident_id, balance=fresh.balance))
                else:
                    cached.balance = fresh.balance

            link.db.write(store)
            return fresh
    with link.db.session() as session:
        return profile(session, resident_id)


def balance(session: Session, resident_id: str, wallet: Wallet | None = None) -> int | None:
    """The resident's points as last known here: the server's balance plus what this kiosk holds for
    them (a reserve is still theirs); None when this kiosk has never heard of them."""
    cached = session.get(BalanceCache, resident_id)
    if cached is None:
        return None
    held = 0
    if wallet is not None:
        held = wallet.available(resident_id)
    else:
        from kiosk.points.wallet import _remaining  # the same conservative figure the wallet spends from
        from kiosk.points.models import Reserve

        for reserve in session.scalars(select(Reserve).where(Reserve.resident_id == resident_id,
                                                             Reserve.released_at.is_(None))):
            if utc_now() < reserve.expires_at:
                held += _remaining(session, reserve)
    return int(cached.balance) + held


def _pending_spends(session: Session, resident_id: str) -> list[PointsEntry]:
    rows = session.execute(select(PointsSpendRow).join(OutboxRow, OutboxRow.key == PointsSpendRow.outbox_key)
                           .where(PointsSpendRow.payer_id == resident_id, OutboxRow.state == PENDING)).scalars()
    return [PointsEntry(plain_what("spend", r.purpose), "", r.created_at, -r.amount, pending=True) for r in rows]


def history(source: Any, resident_id: str, limit: int = 20) -> list[PointsEntry]:
    """The resident's recent points, newest first, in plain words: spends made here offline and not
    yet confirmed first, then the server's statement. A Session reads what is cached; a Link (or
    Runtime) fetches the statement first when online (worker thread)."""
    if isinstance(source, Session):
        return _history(source, resident_id, limit)
    from kiosk.canteen.link import as_link

    link = as_link(source)
    refresh_profile(link, resident_id)
    with link.db.session() as session:
        return _history(session, resident_id, limit)


def _history(session: Session, resident_id: str, limit: int) -> list[PointsEntry]:
    entries = sorted(_pending_spends(session, resident_id), key=lambda e: e.when, reverse=True)
    cached = profile(session, resident_id)
    for item in cached.history if cached else []:
        entries.append(PointsEntry(plain_what(item.kind, item.category, item.rule),
                                   plain_where(item.kind, item.category, item.where), item.when, item.points,
                                   reversed=item.reversed))
    return entries[:limit]


def family_view(session: Session, resident: Resident) -> list[tuple[Resident, int | None]]:
    """The resident first, then their bound family members, each with their balance (None: unknown)."""
    people = [resident, *family_of(session, resident)]
    return [(p, balance(session, p.resident_id)) for p in people]


def earning_rules(session: Session) -> list[Rule]:
    """How to earn points, as the server configured them (setting ``points.earning_rules``)."""
    value = settings(session).get(EARNING_RULES_SETTING)
    rules = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict) and item.get("text_zh"):
            rules.append(Rule(str(item["text_zh"]), str(item.get("text_en") or item["text_zh"]),
                              int(item.get("points", 0)), str(item.get("id", ""))))
    return rules


def leaderboard(session: Session, building_id: str) -> list[tuple[str, int]]:
    """(masked name, points earned this month) of the building's residents who chose to be shown."""
    row = session.get(ServerCache, (ChangeKind.LEADERBOARD.value, building_id))
    if row is None:
        return []
    return [(str(e.get("masked_name", "")), int(e.get("points", 0))) for e in row.data.get("entries", [])]


def building_of(session: Session, resident_id: str) -> str | None:
    """The resident's building id, from their last fetched profile."""
    cached = profile(session, resident_id)
    return cached.building_id if cached else None


def leaderboard_opt_in(session: Session, resident_id: str) -> bool:
    """Whether the resident chose to be shown on the board (their choice here, else the server's)."""
    choice = session.get(LeaderboardChoice, resident_id)
    if choice is not None:
        return choice.opted_in
    cached = profile(session, resident_id)
    return bool(cached and cached.opted_in)


def set_leaderboard_opt_in(source: Any, resident_id: str, opt_in: bool) -> None:
    """Record the resident's choice here and send it (a points.leaderboard_opt_in record). Worker thread."""
    from kiosk.canteen.link import as_link

    link = as_link(source)

    def work(session: Session) -> None:
        row = session.get(LeaderboardChoice, resident_id)
        if row is None:
            session.add(LeaderboardChoice(resident_id=resident_id, opted_in=opt_in, updated_at=utc_now()))
        else:
            row.opted_in, row.updated_at = opt_in, utc_now()
        outbox.enqueue(session, RecordKind.POINTS_LEADERBOARD_OPT_IN.value,
                       LeaderboardOptIn(resident_id=resident_id, opt_in=opt_in).model_dump(mode="json"))

    link.db.write(work)
    link.committed()
