"""Qt Widgets user interface of the kiosk."""
