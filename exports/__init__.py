"""Renderers: Report -> bytes. No Flask, no database session."""
