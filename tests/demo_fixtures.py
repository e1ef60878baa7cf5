"""Session fixtures that load the reference data and a small demo district once per test worker."""
