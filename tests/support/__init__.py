"""Test tooling shared by several test folders: fault servers, proxies, a live reference server."""
