"""Requests (报事报修) on the kiosk: catalog, filing offline with media, receipts, following, rating."""
