"""Digest e-mails: what saved searches and match alerts found, batched per person and
period, each (person, alert, record) delivered at most once (models/deliveries.py).

collect.py decides what each person gets; run.py writes the deliveries and the digests and
queues their mails; send.py composes and sends one digest (re-checking, at send time, that
the person may still see each record); unsubscribe.py signs and applies the one-click
unsubscribe links.
"""
