"""Curation views: arco (to be written)."""
