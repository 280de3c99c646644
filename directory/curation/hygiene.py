"""Curation views: hygiene (to be written)."""
