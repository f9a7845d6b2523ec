"""Request categories (tiles, common phrases) and the place map, as pulled from the server.

Both arrive through the changes feed and are kept in the generic server cache: one
``request_category`` entry per category and one ``request_places`` entry per community.
Until the first pull the built-in list of the 10 categories is used; places are empty then.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import ChangeKind
from kiosk.requests.default_catalog import CATEGORIES, SAMPLE_PLACES
from kiosk.sync.models import ServerCache

PLACE_KINDS = ("community", "building", "unit", "room", "public")


def _lang_is_en(lang: str) -> bool:
    return lang.lower().startswith("en")


@dataclass(frozen=True)
class Phrase:
    code: str
    zh: str
    en: str

    def name(self, lang: str) -> str:
        return self.en if _lang_is_en(lang) else self.zh


@dataclass(frozen=True)
class Category:
    code: str
    zh: str
    en: str
    icon: str
    phrases: tuple[Phrase, ...]
    safety_hazard: bool = False

    def name(self, lang: str) -> str:
        """The display name in ``lang`` ("zh_CN"/"zh" or "en")."""
        return self.en if _lang_is_en(lang) else self.zh

    def phrase(self, code: str) -> Phrase | None:
        return next((p for p in self.phrases if p.code == code), None)


@dataclass(frozen=True)
class Place:
    code: str
    zh: str
    en: str
    kind: str  # community | building | unit | room | public
    children: tuple[Place, ...] = ()

    def name(self, lang: str) -> str:
        return self.en if _lang_is_en(lang) else self.zh


def default_categories() -> list[Category]:
    """The built-in list (the 10 categories of the issue)."""
    return [
        Category(code, zh, en, icon, tuple(Phrase(*p) for p in phrases), hazard)
        for code, zh, en, icon, hazard, _agency, phrases in CATEGORIES
    ]


def _category(data: dict[str, Any]) -> Category:
    phrases = tuple(Phrase(str(p["code"]), str(p.get("zh", "")), str(p.get("en", ""))) for p in data.get("phrases", []))
    return Category(str(data["code"]), str(data.get("zh", "")), str(data.get("en", "")), str(data.get("icon", "")),
                    phrases, bool(data.get("safety_hazard", False)))


def categories(session: Session) -> list[Category]:
    """The server's active categories in its order; the built-in list until the first pull."""
    rows = session.scalars(select(ServerCache).where(ServerCache.kind == ChangeKind.REQUEST_CATEGORY.value)).all()
    if not rows:
        return default_categories()
    active = [r.data for r in rows if r.data.get("active", True)]
    active.sort(key=lambda d: (int(d.get("sort", 0)), str(d.get("code"))))
    return [_category(d) for d in active]


def find_category(categories_: list[Category], code: str) -> Category | None:
    return next((c for c in categories_ if c.code == code), None)


def category_name(categories_: list[Category], code: str, lang: str) -> str:
    """The category's name in ``lang``; the code itself when the catalog does not know it."""
    found = find_category(categories_, code)
    return found.name(lang) if found else code


def _place(data: dict[str, Any]) -> Place:
    return Place(str(data["code"]), str(data.get("zh", "")), str(data.get("en", "")), str(data.get("kind", "")),
                 tuple(_place(c) for c in data.get("children", [])))


def places(session: Session) -> list[Place]:
    """The server's map: one tree per community (buildings > units > rooms, then public places)."""
    rows = session.scalars(select(ServerCache).where(ServerCache.kind == ChangeKind.REQUEST_PLACES.value)
                           .order_by(ServerCache.key)).all()
    return [_place(r.data["community"]) for r in rows if isinstance(r.data.get("community"), dict)]


def sample_places() -> list[Place]:
    """A small built-in map for screens rendered without a database (audit, screenshots)."""

    def build(node: tuple) -> Place:  # type: ignore[type-arg]
        code, zh, en, kind, children = node
        return Place(code, zh, en, kind, tuple(build(c) for c in children))

    return [build(n) for n in SAMPLE_PLACES]


def place_path(places_: list[Place], code: str) -> list[Place]:
    """The places from the community down to ``code`` (empty when not on the map)."""

    def walk(nodes: tuple[Place, ...] | list[Place], trail: list[Place]) -> list[Place] | None:
        for node in nodes:
            if node.code == code:
                return [*trail, node]
            found = walk(node.children, [*trail, node])
            if found:
                return found
        return None

    return walk(places_, []) or [] if code else []


def place_path_text(places_: list[Place], code: str, lang: str) -> str:
    """The place in words: "葛巷社区 3幢 2单元 301室" / "Gexiang Community, Building 3, Unit 2, Room 301"."""
    names = [p.name(lang) for p in place_path(places_, code)]
    return (", " if _lang_is_en(lang) else " ").join(names)
