"""The points ledger: append-only double-entry movements, earning rules, family spends and offline reserves."""
