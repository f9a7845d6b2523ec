"""The kiosk's built-in category list (used before the first pull) is the list the server seeds."""

from __future__ import annotations

from kiosk.requests.catalog import default_categories
from kiosk.requests.default_catalog import CATEGORIES as KIOSK_CATEGORIES
from server.requests.catalog_data import CATEGORIES as SERVER_CATEGORIES


def test_the_built_in_list_is_the_list_the_server_seeds():
    assert KIOSK_CATEGORIES is SERVER_CATEGORIES  # one list in kiosk.protocol, not two copies kept equal


def test_the_built_in_list_has_the_ten_categories_of_the_issue_with_phrases_in_both_languages():
    cats = default_categories()
    assert [c.code for c in cats] == ["repair", "public_facilities", "environment", "noise", "parking", "safety_hazard",
                                      "neighbour_dispute", "property_service", "elderly_help", "suggestion"]
    assert [c.code for c in cats if c.safety_hazard] == ["safety_hazard"]
    assert all(c.name("zh_CN") and c.name("en") and c.icon.startswith("requests/") for c in cats)
    assert all(p.name("zh_CN") != p.name("en") for c in cats for p in c.phrases)
