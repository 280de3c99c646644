"""Curation views: dashboard (to be written)."""
