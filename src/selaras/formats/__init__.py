"""selaras.formats layer (see docs/architecture)."""
