"""Privacy under the LFPDPPP: consents with their history, and ARCO requests.

Consent changes are audit events ("consent.contact", "consent.matching") written by
`services.profiles` and by `set_consent` here, so the time of every change is on record
and the privacy page can show when each consent was last given or withdrawn.

ARCO requests (access, rectification, cancellation, opposition) are filed by logged-in
people only: the law asks the responsible party to verify who is asking, and a session
on the account is the verification we can trust. Anyone else writes to the privacy
address of the notice. The law gives 20 business days to answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select

from ..extensions import db
from ..models import ArcoKind, AuditEvent, PrivacyRequest, Profile, User, utcnow
from . import audit

ANSWER_WITHIN_BUSINESS_DAYS = 20
MAX_OPEN_REQUESTS = 3  # enough for any real need; stops a script from flooding curators
MAX_MESSAGE = 5000
MIN_RESPONSE = 10
OPEN = "open"
ANSWERED = "answered"
REFUSED = "refused"
DECISIONS = (ANSWERED, REFUSED)
CONSENT_ACTIONS = {"contact": "consent.contact", "matching": "consent.matching"}
CONSENT_FIELDS = {"contact": "contact_consent", "matching": "matching_consent"}
# Control characters (NUL above all: PostgreSQL refuses it) never belong in a message.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """User text without control characters (newlines and tabs kept), trimmed."""
    return _CONTROL.sub("", value).strip()


class PrivacyError(ValueError):
    """A refusal with a message fit to show the user, tied to a form field."""

    def __init__(self, field: str, message: str | LazyString) -> None:
        super().__init__(str(message))
        self.field = field
        self.message = message


# --- consents ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentState:
    """A consent as it stands: given or not, and when it last changed (None: never)."""

    name: str
    granted: bool
    changed_at: datetime | None


def consent_events(profile: Profile) -> list[AuditEvent]:
    """Every recorded consent change of a profile, oldest first."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.action.in_(CONSENT_ACTIONS.values()),
                AuditEvent.target_kind == "profile",
                AuditEvent.target_id == profile.id,
            )
            .order_by(AuditEvent.created_at, AuditEvent.id)
        )
    )


def consents(profile: Profile | None) -> list[ConsentState]:
    """The contact and matching consents with the time of their last change."""
    last: dict[str, datetime] = {}
    if profile is not None:
        by_action = {action: name for name, action in CONSENT_ACTIONS.items()}
        for event in consent_events(profile):
            last[by_action[event.action]] = event.created_at
    return [
        ConsentState(
            name,
            bool(getattr(profile, field)) if profile is not None else False,
            last.get(name),
        )
        for name, field in CONSENT_FIELDS.items()
    ]


def set_consent(profile: Profile, name: str, granted: bool, *, actor: User, ip: str = "") -> bool:
    """Give or withdraw one consent; return whether it changed (each change is audited)."""
    if name not in CONSENT_FIELDS:
        raise PrivacyError("consent", _l("Choose one of the options."))
    field = CONSENT_FIELDS[name]
    if bool(getattr(profile, field)) == granted:
        return False
    # The matching store's before_flush listener deletes the vectors in this same flush
    # when matching consent is withdrawn, so derived data never outlives the consent.
    setattr(profile, field, granted)
    db.session.flush()
    audit.record(
        CONSENT_ACTIONS[name],
        actor=actor,
        target_kind="profile",
        target_id=profile.id,
        ip=ip,
        granted=granted,
    )
    return True


# --- ARCO requests ------------------------------------------------------------------------


def add_business_days(start: datetime, days: int) -> datetime:
    """`days` business days (Monday to Friday) after `start`.

    Official holidays are not subtracted: the deadline shown is then never later than the
    legal one, which errs on the side of answering early.
    """
    current = start
    added = 0
    while added < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def due_at(request: PrivacyRequest) -> datetime:
    """When the answer to a request is due."""
    return add_business_days(request.created_at, ANSWER_WITHIN_BUSINESS_DAYS)


def is_overdue(request: PrivacyRequest, now: datetime | None = None) -> bool:
    """Whether an open request has passed its deadline."""
    return request.status == OPEN and (now or utcnow()) > due_at(request)


def requests_of(user: User) -> list[PrivacyRequest]:
    """A person's own requests, newest first."""
    return list(
        db.session.scalars(
            select(PrivacyRequest)
            .where(PrivacyRequest.user_id == user.id)
            .order_by(PrivacyRequest.created_at.desc(), PrivacyRequest.id.desc())
        )
    )


def open_requests() -> list[PrivacyRequest]:
    """Every open request, oldest first (the order the law's clock runs out)."""
    return list(
        db.session.scalars(
            select(PrivacyRequest)
            .where(PrivacyRequest.status == OPEN)
            .order_by(PrivacyRequest.created_at, PrivacyRequest.id)
        )
    )


def closed_requests(limit: int = 50) -> list[PrivacyRequest]:
    """The most recently decided requests."""
    return list(
        db.session.scalars(
            select(PrivacyRequest)
            .where(PrivacyRequest.status != OPEN)
            .order_by(PrivacyRequest.decided_at.desc(), PrivacyRequest.id.desc())
            .limit(limit)
        )
    )


def file_request(user: User, kind: str, message: str, *, ip: str = "") -> PrivacyRequest:
    """Record a person's ARCO request; curators see it in their queue."""
    if kind not in ArcoKind.ALL:
        raise PrivacyError("kind", _l("Choose one of the options."))
    message = clean_text(message)
    if not message:
        raise PrivacyError("message", _l("This field is required."))
    if len(message) > MAX_MESSAGE:
        raise PrivacyError("message", _l("Use at most %(max)d characters.", max=MAX_MESSAGE))
    open_count = db.session.scalar(
        select(func.count())
        .select_from(PrivacyRequest)
        .where(PrivacyRequest.user_id == user.id, PrivacyRequest.status == OPEN)
    )
    if (open_count or 0) >= MAX_OPEN_REQUESTS:
        raise PrivacyError(
            "message",
            _l("You already have %(n)d open requests; wait for an answer first.", n=open_count),
        )
    request = PrivacyRequest(user_id=user.id, email=user.email, kind=kind, message=message)
    db.session.add(request)
    db.session.flush()
    audit.record(
        "privacy.request_filed",
        actor=user,
        target_kind="privacy_request",
        target_id=request.id,
        ip=ip,
        kind=kind,
    )
    return request


def answer_request(
    request: PrivacyRequest, status: str, response: str, *, actor: User, ip: str = ""
) -> PrivacyRequest:
    """A curator answers (or refuses, with reasons) an open request, once."""
    if request.status != OPEN:
        raise PrivacyError("response", _l("This request has already been answered."))
    if status not in DECISIONS:
        raise PrivacyError("status", _l("Choose one of the options."))
    response = clean_text(response)
    if len(response) < MIN_RESPONSE:
        raise PrivacyError(
            "response", _l("Write an answer of at least %(min)d characters.", min=MIN_RESPONSE)
        )
    if len(response) > MAX_MESSAGE:
        raise PrivacyError("response", _l("Use at most %(max)d characters.", max=MAX_MESSAGE))
    request.status = status
    request.response = response
    request.decided_at = utcnow()
    request.decided_by_id = actor.id
    db.session.flush()
    audit.record(
        "privacy.request_answered",
        actor=actor,
        target_kind="privacy_request",
        target_id=request.id,
        ip=ip,
        kind=request.kind,
        status=status,
    )
    return request


def reply_address(request: PrivacyRequest) -> str:
    """Where the answer goes: the account's current email, else the one given when filed."""
    return request.user.email if request.user is not None else request.email
