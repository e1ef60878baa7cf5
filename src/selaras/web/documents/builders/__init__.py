"""Builders of official documents: each turns the database state of one scope into a
`selaras.formats.documents.model.Document` (no file writing here; see `web/documents/jobs.py`)."""
