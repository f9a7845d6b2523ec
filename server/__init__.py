"""Reference community server (built by the Server+Sync issue)."""
