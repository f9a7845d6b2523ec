"""Health cabin on the server: FHIR Observations from kiosks, consents and the doctor's follow-up list."""
