"""The demo catalog: the 10 request categories of issue #6 (kiosk.protocol.request_catalog),
the English names of the demo communities and the public places every community has."""

from __future__ import annotations

from kiosk.protocol import DEFAULT_REQUEST_CATEGORIES

CATEGORIES = DEFAULT_REQUEST_CATEGORIES  # shared with the kiosk's built-in list

COMMUNITY_EN = {"葛巷社区": "Gexiang Community", "朱庙社区": "Zhumiao Community", "万和社区": "Wanhe Community",
                "太炎社区": "Taiyan Community", "向往社区": "Xiangwang Community", "创景社区": "Chuangjing Community"}

# code suffix, zh, en
PUBLIC_PLACES: tuple[tuple[str, str, str], ...] = (
    ("GATE", "小区大门", "Main gate"),
    ("GARAGE", "地下车库", "Underground garage"),
    ("CHARGING", "电动车充电棚", "E-bike charging shed"),
    ("WASTE", "垃圾分类点", "Waste sorting station"),
    ("SQUARE", "健身广场", "Fitness square"),
    ("CENTRE", "社区服务中心", "Community service centre"),
    ("FIRE_LANE", "消防通道", "Fire lane"),
)
