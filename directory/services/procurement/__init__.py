"""Smart AI procurement: who may answer a challenge, and (later) units, Q&A and risk."""
