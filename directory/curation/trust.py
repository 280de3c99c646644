"""Curation views: trust (to be written)."""
