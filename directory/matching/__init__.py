"""Matching: embeddings, the FAISS index, lexical scoring, ranking with reasons.

Nothing here imports torch, sentence-transformers or faiss at import time: pages that do
not match never pay for the model, and `import directory` stays light.
"""
