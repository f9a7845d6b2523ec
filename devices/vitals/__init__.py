"""Vitals devices: GATT parsers, BLE and serial transports, simulated twins."""
