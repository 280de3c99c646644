"""All models, importable from one place so Alembic sees the whole metadata."""

from .base import Role, Status, UTCDateTime, utcnow
from .engagement import Application, ContactRequest, Proposal, Report, ResponseStatus
from .orgs import Claim, Invitation, Membership, Organization, OrgRole
from .posts import Challenge, Opening
from .privacy import ArcoKind, PrivacyRequest
from .revisions import PendingRevision, RevisionStatus
from .skills import Skill
from .stories import SuccessStory
from .system import AuditEvent, Embedding
from .users import LoginSession, Profile, User

__all__ = [
    "Application",
    "ArcoKind",
    "AuditEvent",
    "Challenge",
    "Claim",
    "ContactRequest",
    "Embedding",
    "Invitation",
    "LoginSession",
    "Membership",
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
    "Skill",
    "Status",
    "SuccessStory",
    "UTCDateTime",
    "User",
    "utcnow",
]
