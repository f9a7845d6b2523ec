"""Image decoder backends (zxing-cpp, pyzbar) behind one interface, chosen by a config string."""

from __future__ import annotations

import abc
import ctypes
import importlib
from typing import Any, Iterable

import numpy as np

from devices.errors import DeviceUnavailable
from devices.messages import N_
from devices.scanner.result import ScanResult

DECODER_CHOICES = ("auto", "zxing", "pyzbar")
DEFAULT_FORMATS = ("qrcode",)

# Our symbology names -> zxing-cpp BarcodeFormat attribute / zbar symbol name.
_ZXING_FORMATS = {
    "qrcode": "QRCode", "microqr": "MicroQRCode", "datamatrix": "DataMatrix",
    "ean13": "EAN13", "ean8": "EAN8", "code128": "Code128", "code39": "Code39",
}
_ZBAR_SYMBOLS = {"qrcode": "QRCODE", "ean13": "EAN13", "ean8": "EAN8", "code128": "CODE128",
                 "code39": "CODE39"}
_ZBAR_CFG_BINARY = 4  # zbar >= 0.23: hand back raw bytes instead of a Shift-JIS/UTF-8 guess


def _gray(frame: Any) -> np.ndarray:
    """Check the frame is a 2-D uint8 array (converting 3-channel BGR), C-contiguous."""
    arr = np.asarray(frame)
    if arr.ndim == 3 and arr.shape[2] in (3, 4):
        import cv2

        code = cv2.COLOR_BGR2GRAY if arr.shape[2] == 3 else cv2.COLOR_BGRA2GRAY
        arr = cv2.cvtColor(arr, code)
    if arr.ndim != 2:
        raise ValueError(f"expected a grey image (2-D array), got shape {arr.shape}")
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(arr)


class Decoder(abc.ABC):
    """Finds codes in one grey frame; safe to call from one worker thread at a time."""

    name: str = ""

    def __init__(self, formats: Iterable[str] = DEFAULT_FORMATS) -> None:
        self.formats = tuple(formats)
        unknown = [f for f in self.formats if f not in self.supported_formats()]
        if unknown or not self.formats:
            raise ValueError(f"{self.name} cannot read {unknown or 'no formats'}")

    @classmethod
    @abc.abstractmethod
    def supported_formats(cls) -> frozenset[str]:
        """Symbology names this backend can be asked for."""

    def decode(self, gray_frame: np.ndarray) -> list[ScanResult]:
        """Every code found in ``gray_frame`` (H x W uint8; BGR is converted), [] when none.

        Blocking CPU work (~1-40 ms at 720p): call from a worker thread. An empty array gives [].
        Raises ValueError for an array that is not an image.
        """
        if gray_frame is None or np.asarray(gray_frame).size == 0:
            return []
        return self._decode(_gray(gray_frame))

    @abc.abstractmethod
    def _decode(self, gray: np.ndarray) -> list[ScanResult]:
        """Backend part of :meth:`decode`; ``gray`` is checked, 2-D, uint8, contiguous."""


class ZxingDecoder(Decoder):
    """zxing-cpp: fast on empty frames, reads rotated, inverted and warped codes."""

    name = "zxing"

    def __init__(self, formats: Iterable[str] = DEFAULT_FORMATS) -> None:
        super().__init__(formats)
        self._zx = importlib.import_module("zxingcpp")
        wanted = [getattr(self._zx.BarcodeFormat, _ZXING_FORMATS[f]) for f in self.formats]
        self._formats = wanted[0]
        for fmt in wanted[1:]:
            self._formats = self._formats | fmt
        self._names = {getattr(self._zx.BarcodeFormat, v).name: k for k, v in _ZXING_FORMATS.items()}

    @classmethod
    def supported_formats(cls) -> frozenset[str]:
        return frozenset(_ZXING_FORMATS)

    def _decode(self, gray: np.ndarray) -> list[ScanResult]:
        found = self._zx.read_barcodes(gray, formats=self._formats)
        return [
            ScanResult.from_raw(bytes(b.bytes), self._names.get(b.format.name, "unknown"), self.name)
            for b in found
            if b.valid
        ]


class PyzbarDecoder(Decoder):
    """pyzbar/zbar: slower, weaker on distortions; asked for raw bytes (binary mode) when possible."""

    name = "pyzbar"

    def __init__(self, formats: Iterable[str] = DEFAULT_FORMATS) -> None:
        super().__init__(formats)
        self._w = importlib.import_module("pyzbar.wrapper")
        self._symbols = [self._w.ZBarSymbol[_ZBAR_SYMBOLS[f]] for f in self.formats]
        self._names = {int(self._w.ZBarSymbol[v]): k for k, v in _ZBAR_SYMBOLS.items()}
        self._y800 = 808466521  # fourcc 'Y800': 8-bit grey

    @classmethod
    def supported_formats(cls) -> frozenset[str]:
        return frozenset(_ZBAR_SYMBOLS)

    def _decode(self, gray: np.ndarray) -> list[ScanResult]:
        w = self._w
        scanner = w.zbar_image_scanner_create()
        image = w.zbar_image_create()
        try:
            w.zbar_image_scanner_set_config(scanner, 0, w.ZBarConfig.CFG_ENABLE, 0)
            for symbol in self._symbols:
                w.zbar_image_scanner_set_config(scanner, symbol, w.ZBarConfig.CFG_ENABLE, 1)
            # An older zbar refuses binary mode (non-zero); its text for non-ASCII may be mangled.
            w.zbar_image_scanner_set_config(scanner, w.ZBarSymbol.QRCODE, _ZBAR_CFG_BINARY, 1)
            height, width = gray.shape
            pixels = gray.tobytes()
            w.zbar_image_set_format(image, self._y800)
            w.zbar_image_set_size(image, width, height)
            w.zbar_image_set_data(image, ctypes.cast(pixels, ctypes.c_void_p), len(pixels), None)
            if w.zbar_scan_image(scanner, image) < 0:
                raise ValueError("zbar rejected the image format")
            results = []
            symbol = w.zbar_image_first_symbol(image)
            while symbol:
                raw = ctypes.string_at(w.zbar_symbol_get_data(symbol),
                                       w.zbar_symbol_get_data_length(symbol))
                kind = self._names.get(symbol.contents.type, "unknown")
                results.append(ScanResult.from_raw(raw, kind, self.name))
                symbol = w.zbar_symbol_next(symbol)
            return results
        finally:
            w.zbar_image_destroy(image)
            w.zbar_image_scanner_destroy(scanner)


_BACKENDS: dict[str, type[Decoder]] = {"zxing": ZxingDecoder, "pyzbar": PyzbarDecoder}
_PROBE_MODULE = {"zxing": "zxingcpp", "pyzbar": "pyzbar.wrapper"}


def decoder_availability(kind: str) -> tuple[bool, str]:
    """Whether decoder ``kind`` ("auto", "zxing", "pyzbar") can run here, else why not."""
    if kind == "auto":
        reasons = []
        for name in ("zxing", "pyzbar"):
            ok, why = decoder_availability(name)
            if ok:
                return True, ""
            reasons.append(why)
        return False, "; ".join(reasons)
    if kind not in _BACKENDS:
        return False, f"unknown decoder {kind!r}; choose one of {', '.join(DECODER_CHOICES)}"
    try:
        module = importlib.import_module(_PROBE_MODULE[kind])
        if kind == "pyzbar":
            module.load_libzbar()  # the Python package is useless without libzbar0
    except Exception as exc:  # a missing shared library surfaces as ImportError or OSError
        return False, f"decoder {kind!r} is not usable: {exc}"
    return True, ""


def make_decoder(kind: str = "auto", formats: Iterable[str] = DEFAULT_FORMATS) -> Decoder:
    """The decoder chosen by config: ``auto`` = zxing-cpp when installed, else pyzbar.

    Raises DeviceUnavailable (key ``scanner.no_decoder``) when the backend cannot run.
    """
    if kind == "auto":
        kind = "zxing" if decoder_availability("zxing")[0] else "pyzbar"
    ok, why = decoder_availability(kind)
    if not ok:
        raise DeviceUnavailable(why, key=N_("scanner.no_decoder"), decoder=kind)
    return _BACKENDS[kind](formats)
