"""selaras.demo layer (see docs/architecture)."""
