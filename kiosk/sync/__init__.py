"""Kiosk side of sync: transport, outbox, relay, pull, enrollment (no Qt)."""
