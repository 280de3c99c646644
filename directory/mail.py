"""Outgoing mail: SMTP when MAIL_SERVER is set, the log otherwise (development)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from .production import is_production

# Development keeps the last messages for a look in the debugger; tests read all of theirs.
DEVELOPMENT_OUTBOX = 100


def _keep(message: EmailMessage) -> None:
    """Keep a copy in ``extensions["outbox"]`` for tests and development, never in production.

    Anonymous visitors can make the app send mail (a reset link is a secret), so a
    production process must not accumulate what it sent (SECURITY.md row 51).
    """
    app = current_app
    if is_production(app.config) and not app.testing:
        return
    outbox = app.extensions.setdefault("outbox", [])
    outbox.append(message)
    if not app.testing and len(outbox) > DEVELOPMENT_OUTBOX:
        del outbox[:-DEVELOPMENT_OUTBOX]


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message, or write it to the log when no SMTP server is set."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    _keep(message)
    if not config.get("MAIL_SERVER"):
        current_app.logger.info("Mail to %s (no MAIL_SERVER set):\n%s\n%s", to, subject, body)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)
