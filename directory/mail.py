"""Outgoing mail: queued for the worker, then SMTP when MAIL_SERVER is set, else the log.

``send_mail`` builds the message at once (so tests and development keep a copy) and hands
its delivery to the job queue: the worker retries an SMTP failure with back-off, and one
that keeps failing becomes a dead letter curators see, with only its recipient and
subject stored. With the immediate backend (the tests) the message is delivered at once.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from flask import current_app

from .jobs import Permanent, enqueue, is_immediate, job
from .production import is_production

# Development keeps the last messages for a look in the debugger; tests read all of theirs.
DEVELOPMENT_OUTBOX = 100
# Headers that the message's own arguments set; ``headers`` may add others only.
RESERVED_HEADERS = {"from", "to", "cc", "bcc", "subject", "message-id", "reply-to", "sender"}


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


def build_message(fields: dict[str, Any]) -> EmailMessage:
    """The message for fields as ``send_mail`` queues them (to, subject, body, ...)."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = fields["to"]
    message["Subject"] = fields["subject"]
    # Made once, when the mail is sent: a delivery repeated after a crash keeps the same
    # Message-ID, which mail clients use to fold duplicates.
    message["Message-ID"] = fields["message_id"]
    for name, value in (fields.get("headers") or {}).items():
        if name.lower() in RESERVED_HEADERS:
            raise ValueError(f"send_mail sets {name} itself")
        message[name] = value  # the email policy refuses CR/LF: no header injection
    message.set_content(fields["body"])
    if fields.get("html"):
        message.add_alternative(fields["html"], subtype="html")
    return message


def deliver(message: EmailMessage) -> None:
    """Hand a message to the SMTP server, or write it to the log when none is set."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        current_app.logger.info(
            "Mail to %s (no MAIL_SERVER set):\n%s\n%s", message["To"], message["Subject"], text
        )
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def _recipient_and_subject(fields: dict[str, Any]) -> dict[str, Any]:
    """All a dead letter keeps of a mail: the body can hold a reset or confirmation link."""
    return {"to": fields.get("to"), "subject": fields.get("subject")}


@job(retries=6, retry_delay=30, redact=_recipient_and_subject)
def deliver_mail(fields: dict[str, Any]) -> None:
    """Deliver a queued message (retried 30 s, 1, 2, 4, 8 and 16 min after a failure)."""
    try:
        deliver(build_message(fields))
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _message in exc.recipients.values()]
        if codes and all(code >= 500 for code in codes):  # the address does not exist
            raise Permanent(f"the server refused the recipient ({codes[0]})") from exc
        raise


def send_mail(
    to: str,
    subject: str,
    body: str,
    *,
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Send a plain-text message (with an optional HTML part and extra headers such as
    List-Unsubscribe) once the current transaction commits, through the job queue."""
    fields = {
        "to": to,
        "subject": subject,
        "body": body,
        "html": html,
        "headers": dict(headers or {}),
        "message_id": make_msgid(domain=_sender_domain() or "localhost"),
    }
    message = build_message(fields)  # fails here, in the caller, if a header is refused
    _keep(message)
    if is_immediate():
        deliver(message)
    else:
        enqueue(deliver_mail, fields)


def _sender_domain() -> str:
    """The domain of MAIL_DEFAULT_SENDER, for Message-IDs."""
    sender = str(current_app.config.get("MAIL_DEFAULT_SENDER") or "")
    return sender.rpartition("@")[2].rstrip(">").strip()
