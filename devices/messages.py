"""Marks message keys for extraction into the catalogues without importing the core."""


def N_(key: str) -> str:  # noqa: N802 - gettext's conventional name
    """Return ``key`` unchanged; the catalogue extractor collects it."""
    return key
