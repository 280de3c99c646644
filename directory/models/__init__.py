"""All models, importable from one place so Alembic sees the whole metadata."""

from .alerts import Frequency, SavedSearch, SearchKind
from .base import Role, Status, UTCDateTime, utcnow
from .deliveries import AlertDelivery, AlertSettings, Digest, DigestStatus
from .engagement import Application, ContactRequest, Proposal, Report, ResponseStatus
from .jobs import FailedJob
from .notifications import Channel, Notification, NotificationPreference
from .orgs import Claim, Invitation, Membership, Organization, OrgRole
from .posts import Challenge, Opening
from .privacy import ArcoKind, PrivacyRequest
from .revisions import PendingRevision, RevisionStatus
from .skills import Skill
from .stories import SuccessStory
from .system import AuditEvent, Embedding
from .users import LoginSession, Profile, User

# Imported for their tables (Alembic and create_all see the whole metadata).
from . import api_tokens, coalition, match_feedback, procurement, proposals, story_submissions  # noqa: E402,F401  isort: skip

__all__ = [
    "AlertDelivery",
    "AlertSettings",
    "Digest",
    "DigestStatus",
    "Application",
    "ArcoKind",
    "AuditEvent",
    "Challenge",
    "Channel",
    "Claim",
    "ContactRequest",
    "Embedding",
    "FailedJob",
    "Frequency",
    "Invitation",
    "LoginSession",
    "Membership",
    "Notification",
    "NotificationPreference",
    "Opening",
    "OrgRole",
    "Organization",
    "PendingRevision",
    "PrivacyRequest",
    "Profile",
    "Proposal",
    "Report",
    "ResponseStatus",
    "RevisionStatus",
    "Role",
    "SavedSearch",
    "SearchKind",
    "Skill",
    "Status",
    "SuccessStory",
    "UTCDateTime",
    "User",
    "utcnow",
]
