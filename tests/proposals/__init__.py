"""Structured proposals, consortia, the risk self-assessment and the public portfolio."""
