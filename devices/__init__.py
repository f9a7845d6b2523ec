"""Device drivers: vitals, scanner, printer, speech. Never imports Qt or the core."""
