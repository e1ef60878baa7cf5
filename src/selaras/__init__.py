"""Selaras: regional development planning for Indonesia."""

__version__ = "0.1.0"
