"""Curation views: moderation (to be written)."""
