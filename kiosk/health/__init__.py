"""Health cabin core: measurements, screening ranges, summaries, storage, FHIR, receipts, purge."""
