"""Photo cameras (role "camera"): OpenCV for real cameras and a simulated twin with a test scene."""

from devices.registry import DriverInfo, OptionSpec, module_available, register

_COMMON = (
    OptionSpec("max_side_px", int, 1280, "Photos are scaled down to this many pixels on the long side."),
    OptionSpec("jpeg_quality", int, 85, "JPEG quality of photos (1-100)."),
    OptionSpec("preview_fps", float, 8.0, "Preview frames per second shown on screen."),
)

register(DriverInfo(
    role="camera", driver_id="opencv",
    factory_path="devices.camera.opencv_source:opencv_camera",
    capabilities=frozenset({"photo", "preview"}),
    options=(
        OptionSpec("device", int, 0, "Camera index (0 = first) or a video path/URL."),
        OptionSpec("width_px", int, 1280, "Requested capture width."),
        OptionSpec("height_px", int, 720, "Requested capture height."),
        OptionSpec("warmup_frames", int, 5, "Frames dropped after opening while exposure settles."),
        *_COMMON,
    ),
    doc="USB or built-in camera through OpenCV; opened only while a photo is being taken.",
    availability=module_available("cv2"),
))

register(DriverInfo(
    role="camera", driver_id="sim",
    factory_path="devices.camera.sim:sim_camera",
    capabilities=frozenset({"photo", "preview", "simulated"}),
    options=(
        OptionSpec("image", str, "", "Picture file to deliver instead of the drawn test scene."),
        OptionSpec("fault", str, "ok", "Injected condition: ok, not_found, lost."),
        OptionSpec("lose_after", int, 3, "Frames before the camera is lost (fault lost)."),
        OptionSpec("fps", float, 15.0, "Frames per second of the simulated camera."),
        OptionSpec("width_px", int, 1280, "Frame width."),
        OptionSpec("height_px", int, 720, "Frame height."),
        *_COMMON,
    ),
    simulated=True,
    doc="Simulated camera twin: a drawn warning-sign scene (or a picture file), with faults.",
    availability=module_available("cv2"),
))
