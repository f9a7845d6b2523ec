"""Demo data of issue #7: two serving counters, the earning rules, check-in rewards and leaderboards."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import ChangeKind
from server.canteen import activities, config
from server.canteen.models import ActivityReward, LeaderboardOptInRow
from server.changes import record_change
from server.kiosk_config import set_setting
from server.models import Activity, Resident

DEMO_COUNTERS = 2
DEMO_CHECKIN_POINTS = 20


def seed_canteen(session: Session, *, now: datetime) -> dict[str, int]:
    """Settings, check-in rewards (published as ACTIVITY changes), every third resident opted in to the
    building leaderboard, and the boards published. Runs inside seed-demo's transaction."""
    set_setting(session, config.COUNTERS, DEMO_COUNTERS, now=now)
    set_setting(session, config.EARNING_RULES, config.DEFAULT_EARNING_RULES, now=now)
    rewards = 0
    for activity in session.scalars(select(Activity).order_by(Activity.id)):
        session.add(ActivityReward(activity_id=activity.id, points=DEMO_CHECKIN_POINTS, dimension="harmony",
                                   created_at=now))
        session.flush()
        record_change(session, ChangeKind.ACTIVITY, activity.id, activities.activity_data(activity, DEMO_CHECKIN_POINTS))
        rewards += 1
    ids = session.scalars(select(Resident.id).order_by(Resident.id)).all()
    for rid in ids[::3]:
        session.add(LeaderboardOptInRow(resident_id=rid, opted_in=True, updated_at=now))
    session.flush()
    boards = activities.publish_all_boards(session, now)
    return {"checkin_rewards": rewards, "leaderboards": boards}
