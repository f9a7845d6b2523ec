"""The report being filed, passed from screen to screen, with the catalog it was filed from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.i18n import current_language
from ui.widgets.requests_parts import display_name


@dataclass
class Flow:
    """One report in the making: the categories and places it chooses from, and the Draft."""

    categories: list[Any]
    places: list[Any]
    draft: Any  # kiosk.requests.filing.Draft
    resident_id: str | None = None
    sample: bool = False  # built-in sample data (screenshots): never filed
    extras: dict[str, Any] = field(default_factory=dict)

    def category(self) -> Any | None:
        code = self.draft.category
        return next((c for c in self.categories if c.code == code), None)

    def category_name(self) -> str:
        category = self.category()
        return display_name(category) if category is not None else ""

    def phrases(self) -> list[Any]:
        category = self.category()
        return list(category.phrases) if category is not None else []

    def place_text(self) -> str:
        if not self.draft.place_code:
            return ""
        from kiosk.requests.catalog import place_path_text

        return place_path_text(self.places, self.draft.place_code, current_language())

    def confirm_text(self) -> str:
        from kiosk.requests.filing import confirm_text

        return confirm_text(self.draft, self.categories, self.places)


def new_draft(category: str = "") -> Any:
    from kiosk.requests.filing import Draft

    return Draft(category=category, place_code="", phrases=[])


def load_flow(database: Any, resident_id: str | None) -> Flow:
    """Read the pulled catalog and map (BLOCKING: run it off the Qt thread)."""
    from kiosk.requests import catalog

    with database.session() as session:
        categories = catalog.categories(session)
        places = catalog.places(session)
    return Flow(categories, places, new_draft(), resident_id)


def sample_places() -> list[Any]:
    """A small map for screenshots and the audit: one community, two buildings, public places."""
    from kiosk.requests.catalog import Place

    def rooms(building: int, unit: int) -> tuple[Any, ...]:
        return tuple(Place(f"C-GX-B{building}-U{unit}-{floor}0{door}", f"{floor}0{door}", f"{floor}0{door}", "room")
                     for floor in range(1, 7) for door in (1, 2))

    def units(building: int) -> tuple[Any, ...]:
        return tuple(Place(f"C-GX-B{building}-U{unit}", f"{unit}单元", f"Unit {unit}", "unit", rooms(building, unit))
                     for unit in (1, 2))

    buildings = tuple(Place(f"C-GX-B{n}", f"{n}幢", f"Building {n}", "building", units(n)) for n in range(1, 15))
    public = (
        Place("C-GX-P-GATE", "东门", "East gate", "public"),
        Place("C-GX-P-SQUARE", "中心广场", "Central square", "public"),
        Place("C-GX-P-PARKING", "地下车库", "Underground car park", "public"),
        Place("C-GX-P-CHARGE", "电动车充电棚", "E-bike charging shed", "public"),
    )
    return [Place("C-GX", "葛巷社区", "Gexiang community", "community", buildings + public)]


def sample_flow(category: str = "", place_code: str = "", with_media: bool = False) -> Flow:
    """Built-in sample data for every state of the filing screens (no database needed)."""
    from kiosk.requests import catalog

    categories = catalog.default_categories()
    flow = Flow(categories, sample_places(), new_draft(category), None, sample=True)
    if category:
        found = flow.category()
        flow.draft.phrases = [p.code for p in (found.phrases[:2] if found is not None else ())]
    flow.draft.place_code = place_code
    if with_media:
        flow.draft.photo_jpeg = sample_photo()
        flow.draft.voice_note = b"RIFF"
        flow.draft.voice_note_mime = "audio/wav"
        flow.draft.voice_note_s = 12.0
    return flow


def sample_photo() -> bytes:
    from devices.camera.base import encode_jpeg
    from devices.camera.sim import sim_scene

    return encode_jpeg(sim_scene(640, 360, 7), 640, 80).jpeg
