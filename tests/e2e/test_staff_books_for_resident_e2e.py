"""Issue #8 at the help desk: staff sign in, choose a resident, book a meal for them and cancel it;
the server records the staff member as operator of the booking, the payment and the refund."""

from __future__ import annotations

from sqlalchemy import select

from server.db import utc_now
from server.ops.staff import DEMO_PIN, set_pin
from support.canteen_ui_world import ui_world
from support.canteen_world import ELDER, balance_of, ledger_problems, server_session
from support.ops_world import on_server
from support.staff_ui_world import sign_in
from support.tech_ui_world import click


def _wait(qtbot, w, name, state="default"):
    qtbot.waitUntil(lambda: w.screens.current.name == name and w.screens.current.state == state, timeout=15_000)
    return w.screens.current


def test_staff_book_a_meal_on_a_residents_behalf_and_the_server_records_the_operator(tmp_path, qtbot):
    with ui_world(tmp_path, qtbot, prepare=lambda db_url: on_server(
            db_url, lambda s: set_pin(s, "S-0001", DEMO_PIN, now=utc_now()))) as world:
        w = world.window
        world.sync()  # the staff directory with the PIN hash reaches the kiosk
        sign_in(qtbot, w)
        assert w.ctx.session.operator_id == "S-0001"

        click(qtbot, w, "staffHome_staff_lookup")
        lookup = w.screens.current
        lookup.submit_card(world.card(ELDER))  # the resident hands over their card
        qtbot.waitUntil(lambda: w.screens.current.name == "staff_home", timeout=10_000)
        assert w.ctx.session.resident.resident_id == ELDER

        click(qtbot, w, "staffHome_canteen")
        _wait(qtbot, w, "canteen")
        click(qtbot, w, "canteenBook")
        _wait(qtbot, w, "canteen_book")
        click(qtbot, w, "canteenBookNext")
        _wait(qtbot, w, "canteen_confirm")
        click(qtbot, w, "canteenConfirmBook")
        ticket = _wait(qtbot, w, "canteen_ticket").ticket
        assert balance_of(world.db_url, ELDER) == 1000 - ticket.paid_points
        from kiosk.staff.reprints import journal

        qtbot.waitUntil(lambda: bool(journal(world.runtime).recent("canteen")), timeout=10_000)  # reprintable

        from server.canteen.models import Booking
        from server.ledger.models import LedgerTx

        with server_session(world.db_url) as s:
            booking = s.get(Booking, ticket.booking_id)
            assert (booking.beneficiary_id, booking.operator_id) == (ELDER, "S-0001")
            spends = s.scalars(select(LedgerTx).where(LedgerTx.resident_id == ELDER, LedgerTx.kind != "award")).all()
            assert [(t.kind, t.operator_kind, t.operator_id) for t in spends] == [("spend", "staff", "S-0001")]

        # A refund on their behalf, before the cut-off: the points return, again with the staff id.
        click(qtbot, w, "canteenTicketBookings")
        _wait(qtbot, w, "canteen_bookings")
        click(qtbot, w, "canteenBooking0Cancel")
        click(qtbot, w, "canteenBookingsCancelYes")
        _wait(qtbot, w, "canteen_bookings", "cancelled")
        assert balance_of(world.db_url, ELDER) == 1000
        with server_session(world.db_url) as s:
            txs = s.scalars(select(LedgerTx).where(LedgerTx.resident_id == ELDER, LedgerTx.kind != "award")
                            .order_by(LedgerTx.id)).all()
            assert [(t.operator_kind, t.operator_id) for t in txs] == [("staff", "S-0001")] * 2  # spend, reversal
        assert ledger_problems(world.db_url) == []
