"""selaras.reference layer (see docs/architecture)."""
