"""Fixed vocabularies of the demo seed: places, names, dishes and activities of 仓前街道."""

from __future__ import annotations

SUB_DISTRICT = ("SD-CQ", "仓前街道")
COMMUNITIES = (("C-01", "葛巷社区"), ("C-02", "朱庙社区"), ("C-03", "万和社区"))
BUILDINGS_PER_COMMUNITY = 4
UNITS_PER_BUILDING = 6

SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹沈"
GIVEN_FEMALE = ("秀英", "桂英", "玉兰", "淑珍", "凤英", "美华", "月娥", "雪芳", "金娣", "彩凤", "爱珍", "素琴", "丽华", "惠芬")
GIVEN_MALE = ("建国", "国强", "志明", "德华", "根生", "福林", "水根", "荣华", "宝林", "善德", "长庚", "永康", "耀祖", "海生")
STAFF_NAMES = ("周晓燕", "沈丽娜", "陆文杰", "钱佳怡", "蒋海峰", "韩雪梅")
TECHNICIAN_NAME = "吴师傅"

# name, allergens, diet tags
DISHES = (
    ("红烧鱼块", ["fish"], ["low_salt"]), ("清蒸鲈鱼", ["fish"], ["soft", "low_salt"]),
    ("番茄炒蛋", ["egg"], ["soft", "vegetarian"]), ("肉末豆腐", ["soy"], ["soft"]),
    ("清炒时蔬", [], ["vegetarian", "low_salt", "low_sugar"]), ("冬瓜排骨汤", [], ["soft", "low_salt"]),
    ("虾仁蒸蛋", ["shellfish", "egg"], ["soft"]), ("香菇青菜", [], ["vegetarian", "low_sugar"]),
    ("土豆烧鸡块", [], []), ("小米南瓜粥", [], ["soft", "vegetarian", "low_salt"]),
    ("葱油拌面", ["wheat"], ["vegetarian"]), ("芹菜香干", ["soy"], ["vegetarian", "low_sugar"]),
    ("红烧狮子头", ["wheat", "soy"], []), ("紫菜蛋花汤", ["egg"], ["soft", "low_sugar"]),
    ("花生拌菠菜", ["peanut"], ["vegetarian"]), ("白切鸡", [], ["low_salt"]),
)
MEAL_PRICES_POINTS = {"lunch": 150, "dinner": 120}  # 15 and 12 yuan before age discounts
MEAL_CUTOFF = {"lunch": "09:30", "dinner": "15:00"}
MENU_CAPACITY = 150
AGE_DISCOUNTS = [
    {"min_age": 60, "max_age": 79, "discount_percent": 20},
    {"min_age": 80, "max_age": None, "discount_percent": 40, "subsidy_points": 10},  # + 1 yuan subsidy
]
ACTIVITIES = (("太极拳晨练", 30, 0), ("书法兴趣班", 20, 0), ("乒乓球馆预约", 8, 100), ("智能手机课堂", 25, 0))
