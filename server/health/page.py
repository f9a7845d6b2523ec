"""GET /h/{check_id}: the read-only page the receipt QR opens (masked name, time, values, categories).

The server cannot use the kiosk's catalogues, so the page carries its few words in Chinese with
English beside them. Unknown or malformed ids answer 404 with the same page shape.
"""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from server.health.admin import CheckView, check_view

router = APIRouter()
LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"}

LABELS = {  # LOINC -> (zh, en)
    "85354-9": ("血压", "Blood pressure"), "8867-4": ("脉搏", "Pulse"), "2708-6": ("血氧", "Blood oxygen"),
    "59408-5": ("血氧", "Blood oxygen"), "8310-5": ("体温", "Temperature"), "29463-7": ("体重", "Weight"),
    "8302-2": ("身高", "Height"), "39156-5": ("体质指数", "BMI"), "15074-8": ("血糖", "Blood sugar"),
    "2339-0": ("血糖", "Blood sugar"),
}
UNITS = {"mm[Hg]": "mmHg", "/min": "次/分 bpm", "Cel": "°C", "kg/m2": "", "mmol/L": "mmol/L", "mg/dL": "mg/dL"}
CATEGORIES = {  # screening category -> (zh, en)
    "bp.normal": ("正常", "Normal"), "bp.high_normal": ("正常高值", "High-normal"),
    "bp.grade1": ("轻度偏高（1级）", "Mildly high (grade 1)"),
    "bp.grade2": ("中度偏高（2级）", "Moderately high (grade 2)"),
    "bp.grade3": ("明显偏高（3级）", "Clearly high (grade 3)"),
    "pulse.normal": ("正常", "Normal"), "pulse.slow": ("偏慢", "Slow"), "pulse.fast": ("偏快", "Fast"),
    "spo2.normal": ("正常", "Normal"), "spo2.remeasure": ("稍微偏低", "A little low"), "spo2.see_doctor": ("偏低", "Low"),
    "temperature.normal": ("正常", "Normal"), "temperature.low_fever": ("低热", "Low fever"),
    "temperature.moderate_fever": ("中度发热", "Moderate fever"), "temperature.high_fever": ("高热", "High fever"),
    "bmi.underweight": ("偏瘦", "Underweight"), "bmi.normal": ("正常", "Normal"),
    "bmi.overweight": ("超重", "Overweight"), "bmi.obese": ("肥胖", "Obese"),
    "glucose.low": ("偏低", "Low"), "glucose.normal": ("正常", "Normal"),
    "glucose.impaired": ("稍微偏高", "Slightly high"), "glucose.diabetic": ("偏高", "High"),
}
_STYLE = ("body{font-family:sans-serif;font-size:22px;line-height:1.5;margin:1.2em;color:#111;background:#fff}"
          "h1{font-size:30px}table{border-collapse:collapse;width:100%}td{padding:.4em;border-bottom:1px solid #888}"
          ".v{font-weight:bold;font-size:26px}.en{color:#333;font-size:18px}")


def _value(text: str) -> str:
    number, _sep, unit = text.partition(" ")
    return f"{number} {UNITS.get(unit, unit)}".strip()


def render(view: CheckView) -> str:
    when = view.measured_at.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M")
    rows = []
    for loinc, value, category, _interpretation in view.rows:
        zh, en = LABELS.get(loinc, (loinc, loinc))
        cat_zh, cat_en = CATEGORIES.get(category or "", ("", ""))
        rows.append(f"<tr><td>{escape(zh)}<br><span class=en>{escape(en)}</span></td>"
                    f"<td class=v>{escape(_value(value))}</td>"
                    f"<td>{escape(cat_zh)}<br><span class=en>{escape(cat_en)}</span></td></tr>")
    follow = ("<p>社区医生会跟进本次结果。<span class=en> The community doctor will follow up.</span></p>"
              if view.alert else "")
    return (
        "<!doctype html><html lang=zh-CN><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'><meta name=robots content=noindex>"
        f"<title>健康检测结果</title><style>{_STYLE}</style></head><body>"
        "<h1>健康检测结果 <span class=en>Health check results</span></h1>"
        f"<p>姓名 <span class=en>Name</span>: <b>{escape(view.masked_name)}</b><br>"
        f"时间 <span class=en>Time</span>: <b>{escape(when)}</b></p>"
        f"<table>{''.join(rows)}</table>{follow}"
        "<p class=en>本结果仅供参考，不能代替医生的诊断。 For reference only; it does not replace a doctor's diagnosis.</p>"
        "</body></html>"
    )


NOT_FOUND = (
    "<!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>未找到 Not found</title></head><body>"
    "<h1>没有找到这条记录 <span>Record not found</span></h1></body></html>"
)


@router.get("/h/{check_id}", response_class=HTMLResponse, include_in_schema=False)
def health_check_page(check_id: str, request: Request) -> HTMLResponse:
    with request.app.state.sessionmaker() as session:
        view = check_view(session, check_id)
    if view is None:
        return HTMLResponse(NOT_FOUND, status_code=404, headers=HEADERS)
    return HTMLResponse(render(view), headers=HEADERS)
