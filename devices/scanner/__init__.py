"""QR scanners: camera, serial and keyboard-wedge, decoder backends, fake scanner."""

from devices.registry import DriverInfo, OptionSpec, register
from devices.scanner.availability import camera_driver_availability, serial_driver_availability

_COMMON = (
    OptionSpec("repeat_window_s", float, 2.0, "Ignore the same code again for this long (s)."),
)
_IMAGE = (
    OptionSpec("decoder", str, "auto", "auto (zxing-cpp when installed), zxing or pyzbar."),
    OptionSpec("formats", list, ["qrcode"], "Symbologies to read."),
)

register(DriverInfo(
    role="scanner", driver_id="camera",
    factory_path="devices.scanner.camera:CameraScanner",
    capabilities=frozenset({"scan", "camera"}),
    options=(
        OptionSpec("device", int, 0, "Camera index (0 = first) or a video path/URL."),
        OptionSpec("max_fps", float, 15.0, "Frames decoded per second at most."),
        OptionSpec("width_px", int, 1280, "Requested capture width."),
        OptionSpec("height_px", int, 720, "Requested capture height."),
        *_IMAGE, *_COMMON,
    ),
    doc="USB/built-in camera through OpenCV, decoded in a worker thread.",
    availability=camera_driver_availability,
))

register(DriverInfo(
    role="scanner", driver_id="serial",
    factory_path="devices.scanner.serial_scanner:SerialScanner",
    capabilities=frozenset({"scan", "serial"}),
    options=(
        OptionSpec("port", str, "", "Serial port, e.g. /dev/ttyACM0 or COM3."),
        OptionSpec("baudrate", int, 9600, "Baud rate set on the scanner (USB-COM mode)."),
        OptionSpec("max_line_bytes", int, 512, "Longer lines are reported, not delivered."),
        *_COMMON,
    ),
    doc="Hardware QR scanner in USB-COM (virtual serial) mode, CR/LF terminated.",
    availability=serial_driver_availability,
))

register(DriverInfo(
    role="scanner", driver_id="sim",
    factory_path="devices.scanner.sim:SimScanner",
    capabilities=frozenset({"scan", "simulated"}),
    options=(
        OptionSpec("payloads", list, [], "Code contents to play, in order."),
        OptionSpec("images", list, [], "Image files to decode and play after the payloads."),
        OptionSpec("interval_s", float, 1.0, "Time between played items."),
        OptionSpec("start_delay_s", float, 0.0, "Time before the first item."),
        OptionSpec("loop", bool, False, "Start again after the last item."),
        OptionSpec("fail_after", int, None, "Camera goes away after this many items."),
        OptionSpec("recover_after_s", float, 3.0, "How long the injected fault lasts."),
        *_IMAGE, *_COMMON,
    ),
    simulated=True,
    doc="Fake scanner for demos and tests, with fault injection.",
))
