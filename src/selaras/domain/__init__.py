"""selaras.domain layer (see docs/architecture)."""
