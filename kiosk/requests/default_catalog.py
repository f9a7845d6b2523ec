"""The built-in category list used until the first pull brings the server's catalog (the list
the server seeds, from kiosk.protocol), and sample places for screens rendered without a database
(audit, screenshots)."""

from __future__ import annotations

from kiosk.protocol import DEFAULT_REQUEST_CATEGORIES

CATEGORIES = DEFAULT_REQUEST_CATEGORIES  # the list the server seeds (kiosk.protocol)

# A small sample place map (community > building > unit > room, and public places): code, zh, en, kind, children
SAMPLE_PLACES = (
    ("C-01", "葛巷社区", "Gexiang Community", "community", (
        ("C-01-B03", "3幢", "Building 3", "building", (
            ("C-01-B03-U2", "2单元", "Unit 2", "unit", (
                ("C-01-B03-0301", "301室", "Room 301", "room", ()),
                ("C-01-B03-0302", "302室", "Room 302", "room", ()),
            )),
        )),
        ("C-01-P-GATE", "小区大门", "Main gate", "public", ()),
        ("C-01-P-CHARGING", "电动车充电棚", "E-bike charging shed", "public", ()),
    )),
)
