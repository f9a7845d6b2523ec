"""A real token survives a real QR image: segno renders a PNG, zxing-cpp and pyzbar read it back."""

from __future__ import annotations

import cv2
import pytest
import segno

from devices.scanner import synthetic as syn
from devices.scanner.decoders import make_decoder
from kiosk.identity import Keyring, TrustedKey, verify_token
from kiosk.protocol import TokenRole
from server.tokens import issue_token, new_signing_key

QR_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
NOW = 1_767_225_600


@pytest.fixture(scope="module")
def issued():
    kid, private, public = new_signing_key()
    # Longest realistic fields: a 40-character subject and a year-long resident card.
    token = issue_token(private, kid, TokenRole.RESIDENT, "RES-" + "9" * 36, lifetime_s=365 * 86_400, now=NOW)
    return token, Keyring([TrustedKey(kid, public)])


def test_payload_is_in_the_qr_alphanumeric_set_so_segno_picks_alphanumeric_mode(issued):
    token, _keys = issued
    assert set(token) <= QR_ALPHANUMERIC
    qr = segno.make_qr(token, error="m")
    assert qr.mode == "alphanumeric"
    assert qr.version <= 8, "a small code stays readable on a phone screen or a printed card"


@pytest.mark.parametrize("backend", ["zxing", "pyzbar"])
def test_png_of_a_token_decodes_to_the_same_text_and_verifies(issued, backend, tmp_path):
    token, keys = issued
    png = tmp_path / "token.png"
    segno.make_qr(token, error="m").save(str(png), scale=6, border=4)
    image = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    assert image is not None and image.ndim == 2
    frame = syn.on_canvas(image)  # as a 720p camera frame would hold it
    results = make_decoder(backend).decode(frame)
    assert [r.payload for r in results] == [token]
    assert results[0].is_ascii and results[0].symbology == "qrcode"
    identity = verify_token(results[0].payload, keys, now=NOW + 60)
    assert identity.subject == "RES-" + "9" * 36
