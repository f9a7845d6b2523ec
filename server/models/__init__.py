"""Every table of the core server schema (revision 0001_core); importing this registers them on Base."""

from server.changes import ChangeRow
from server.models.activities import Activity
from server.models.canteen import Menu
from server.models.idempotency import IdempotencyKey
from server.models.identity import IssuedToken, RevokedToken, SigningKey
from server.models.kiosks import EnrollmentCode, Kiosk, KioskSetting
from server.models.people import Family, Resident, Staff
from server.models.places import Building, Community, SubDistrict, Unit
from server.models.service_requests import RequestStatus, ServiceRequest, ServiceRequestEvent

__all__ = [
    "Activity", "Building", "ChangeRow", "Community", "EnrollmentCode", "Family", "IdempotencyKey",
    "IssuedToken", "Kiosk", "KioskSetting", "Menu", "RequestStatus", "Resident", "RevokedToken",
    "ServiceRequest", "ServiceRequestEvent", "SigningKey", "Staff", "SubDistrict", "Unit",
]

import server.canteen.models  # noqa: E402,F401  (canteen and points tables, revision 0005_canteen)
import server.health.models  # noqa: E402,F401  (health tables, revision 0003_health)
import server.ops.models  # noqa: E402,F401  (staff PINs, heartbeats, help calls, revision 0006_ops)
