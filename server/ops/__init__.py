"""Help desk and kiosk operations on the server (#8): staff PINs, kiosk heartbeats, help calls."""
