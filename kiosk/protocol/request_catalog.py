"""The default service-request categories (the 10 of issue #6) with icons and common phrases.

The server seeds its catalog from this list and the kiosk shows it until its first pull brings
the server's catalog, so both start from the same list.
"""

from __future__ import annotations

# code, zh, en, icon, safety_hazard, agency (zh), phrases: (code, zh, en)
DEFAULT_REQUEST_CATEGORIES: tuple[tuple[str, str, str, str, bool, str, tuple[tuple[str, str, str], ...]], ...] = (
    ("repair", "报修", "Repairs", "requests/repair", False, "物业服务中心", (
        ("light_out", "灯不亮", "Light not working"),
        ("water_leak", "水管漏水", "Water pipe leaking"),
        ("door_window", "门窗损坏", "Door or window broken"),
        ("lift_fault", "电梯故障", "Lift out of order"),
        ("drain_blocked", "下水道堵塞", "Drain blocked"),
    )),
    ("public_facilities", "公共设施", "Public facilities", "requests/public_facilities", False, "社区居委会", (
        ("street_light", "路灯坏了", "Street light broken"),
        ("bench_broken", "座椅损坏", "Bench broken"),
        ("fitness_broken", "健身器材损坏", "Fitness equipment broken"),
        ("path_damaged", "道路破损", "Path damaged"),
        ("manhole_loose", "井盖松动", "Manhole cover loose"),
    )),
    ("environment", "环境与垃圾", "Environment and rubbish", "requests/environment", False, "物业服务中心", (
        ("rubbish_left", "垃圾没有清运", "Rubbish not collected"),
        ("rubbish_unsorted", "垃圾分类不规范", "Rubbish not sorted"),
        ("stairwell_clutter", "楼道堆放杂物", "Clutter in the stairwell"),
        ("plants_overgrown", "绿化需要修剪", "Plants need trimming"),
        ("standing_water", "路面积水", "Standing water"),
    )),
    ("noise", "噪音扰民", "Noise", "requests/noise", False, "社区居委会", (
        ("renovation_noise", "装修噪音", "Renovation noise"),
        ("night_noise", "夜间噪音", "Noise at night"),
        ("dance_music", "广场舞音量大", "Loud square-dance music"),
        ("construction_noise", "施工噪音", "Building-site noise"),
    )),
    ("parking", "停车与充电", "Parking and EV charging", "requests/parking", False, "物业服务中心", (
        ("charger_broken", "充电桩故障", "Charger not working"),
        ("space_taken", "车位被占用", "Parking space taken"),
        ("ebike_parking", "电动车乱停", "E-bikes parked badly"),
        ("car_blocking", "车辆堵住通道", "Car blocking the way"),
    )),
    ("safety_hazard", "安全隐患", "Safety hazard", "requests/safety_hazard", True, "社区居委会", (
        ("fire_lane_blocked", "消防通道堵塞", "Fire lane blocked"),
        ("old_wiring", "电线老化", "Old electrical wiring"),
        ("ebike_indoor_charging", "楼道里给电动车充电", "E-bike charging in the stairwell"),
        ("extinguisher_expired", "灭火器过期", "Fire extinguisher out of date"),
        ("falling_objects", "高处有东西可能掉落", "Something may fall from above"),
    )),
    ("neighbour_dispute", "邻里纠纷", "Neighbour dispute", "requests/neighbour_dispute", False, "社区居委会", (
        ("leak_downstairs", "漏水到楼下", "Water leaking downstairs"),
        ("shared_space", "占用公共区域", "Shared space taken over"),
        ("pets", "宠物扰民", "Pets disturbing neighbours"),
        ("noise_dispute", "噪音纠纷", "Noise dispute"),
    )),
    ("property_service", "物业服务", "Property service", "requests/property_service", False, "物业服务中心", (
        ("fee_question", "物业费有疑问", "Question about the property fee"),
        ("cleaning", "保洁不到位", "Cleaning not done"),
        ("security", "门岗安保问题", "Gate and security problem"),
        ("repair_slow", "维修不及时", "Repairs too slow"),
    )),
    ("elderly_help", "为老人求助", "Help for an elderly person", "requests/elderly_help", False, "社区居委会", (
        ("home_visit", "需要上门看看", "Needs a home visit"),
        ("mobility_help", "行动不便需要帮忙", "Needs help getting about"),
        ("cannot_reach", "独居老人联系不上", "Cannot reach an elder living alone"),
        ("shopping_help", "需要帮忙买东西", "Needs help with shopping"),
    )),
    ("suggestion", "建议与投诉", "Suggestion or complaint", "requests/suggestion", False, "社区居委会", (
        ("praise", "表扬", "Praise"),
        ("suggestion", "建议", "Suggestion"),
        ("complaint", "投诉", "Complaint"),
    )),
)
