"""selaras.engines layer (see docs/architecture)."""
