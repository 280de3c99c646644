"""The kinds of notification, each with its label on the settings page and its defaults.

A kind whose event mailed people before notifications existed defaults to ``both``, so
nobody who never opens the settings page misses a mail they used to get.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from ...models import Channel

APPLICATION_STATUS = "application_status"
PROPOSAL_STATUS = "proposal_status"
RESPONSE_RECEIVED = "response_received"
CONTACT_REQUEST = "contact_request"
CONTACT_ANSWERED = "contact_answered"
MODERATION = "moderation"
CLAIM_DECIDED = "claim_decided"
INVITATION = "invitation"
REVISION_DECIDED = "revision_decided"
NEW_MATCH = "new_match"
QUESTION_REPLY = "question_reply"
SEARCH_RESULT = "search_result"
NEW_CANDIDATES = "new_candidates"
# Structured proposals (services/procurement/consortium.py, proposals.py).
PROPOSAL_MEMBER = "proposal_member"
PROPOSAL_MEMBER_ANSWER = "proposal_member_answer"
PROPOSAL_WITHDRAWN = "proposal_withdrawn"
APPLICATION_WITHDRAWN = "application_withdrawn"  # services/responses.py
# Procurement (services/procurement/): questions, answers, stages and outcomes, units.
CHALLENGE_QUESTION = "challenge_question"
CHALLENGE_ANSWER = "challenge_answer"
CHALLENGE_NEWS = "challenge_news"
UNIT_INVITATION = "unit_invitation"
# Submitted success stories (services/stories/): who is named, and their answers.
STORY_NAMED = "story_named"
STORY_NAMING_ANSWER = "story_naming_answer"
# The coalition (services/coalition/): membership, working groups, consultations.
COALITION_DECIDED = "coalition_decided"
GROUP_REQUEST = "group_request"
GROUP_DECIDED = "group_decided"
GROUP_NEWS = "group_news"
CONSULTATION_OPENED = "consultation_opened"

CHANNEL_LABELS: dict[str, LazyString] = {
    Channel.IN_APP: _l("In the app"),
    Channel.EMAIL: _l("By email"),
    Channel.BOTH: _l("In the app and by email"),
    Channel.NONE: _l("Do not tell me"),
}


@dataclass(frozen=True)
class Kind:
    """One kind of event: its name on the settings page, default channel and allowed ones."""

    code: str
    label: LazyString
    default: str = Channel.BOTH
    channels: tuple[str, ...] = Channel.ALL
    help: LazyString | None = None
    # True when a notification about a record the person may not see must not exist at
    # all (a match), rather than be shown without the record's title (a status change of
    # my own application to an opening withdrawn since).
    needs_visible_record: bool = False


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind(APPLICATION_STATUS, _l("Answers to my applications")),
        Kind(PROPOSAL_STATUS, _l("Answers to my proposals")),
        Kind(
            RESPONSE_RECEIVED,
            _l("New applications and proposals to my organisations"),
            help=_l("For the owners and editors of the organisation."),
        ),
        Kind(CONTACT_REQUEST, _l("Contact requests I receive")),
        Kind(CONTACT_ANSWERED, _l("Contact requests I sent that were accepted")),
        Kind(MODERATION, _l("Curators' decisions on what I submitted")),
        Kind(CLAIM_DECIDED, _l("Decisions on my requests to manage an organisation")),
        Kind(
            INVITATION,
            _l("Invitations to edit an organisation"),
            default=Channel.IN_APP,
            channels=(Channel.IN_APP, Channel.NONE),
            # The token travels only by mail: an invitation can never be turned off there.
            help=_l("The invitation itself always arrives by email: it carries the link."),
        ),
        Kind(REVISION_DECIDED, _l("Decisions on my edits of published records")),
        Kind(
            NEW_MATCH,
            _l("New matches for me"),
            default=Channel.IN_APP,
            needs_visible_record=True,
        ),
        Kind(QUESTION_REPLY, _l("Replies to my questions")),
        Kind(
            SEARCH_RESULT,
            _l("New results of my saved searches"),
            default=Channel.IN_APP,
            needs_visible_record=True,
            help=_l("Each saved search also mails its results as often as you chose."),
        ),
        Kind(
            NEW_CANDIDATES,
            _l("New people who fit my organisations' openings and challenges"),
            default=Channel.IN_APP,
            needs_visible_record=True,
        ),
        Kind(
            CHALLENGE_QUESTION,
            _l("New questions about my organisations' challenges"),
            help=_l("For the owners and editors of the organisation."),
        ),
        Kind(
            CHALLENGE_ANSWER,
            _l("New answers about challenges I follow, asked about or proposed to"),
            help=_l("Answers to your own questions arrive as replies to your questions."),
        ),
        Kind(
            CHALLENGE_NEWS,
            _l("Stage changes and outcomes of challenges I follow or proposed to"),
            help=_l("The challenges you follow are listed under “Challenges I follow”."),
        ),
        Kind(UNIT_INVITATION, _l("Invitations to join an innovation unit")),
        Kind(
            STORY_NAMED,
            _l("Success stories that name me or my organisations"),
            help=_l("Your name appears on a story only once you confirm."),
        ),
        Kind(STORY_NAMING_ANSWER, _l("Answers of the people and organisations my stories name")),
        Kind(
            PROPOSAL_MEMBER,
            _l("Proposals that name me or my organisations as partners or team"),
            help=_l("Your name is shown to the challenge's organisation only once you confirm."),
        ),
        Kind(PROPOSAL_MEMBER_ANSWER, _l("Partners' answers to my proposals")),
        Kind(
            PROPOSAL_WITHDRAWN,
            _l("Proposals withdrawn from my organisations' challenges"),
            default=Channel.IN_APP,
            help=_l("For the owners and editors of the organisation."),
        ),
        Kind(
            APPLICATION_WITHDRAWN,
            _l("Applications withdrawn from my organisations' openings"),
            default=Channel.IN_APP,
            help=_l("For the owners and editors of the organisation."),
        ),
        Kind(
            COALITION_DECIDED,
            _l("Curators' decisions on my organisations' coalition membership"),
            help=_l("For the owners of the organisation."),
        ),
        Kind(GROUP_REQUEST, _l("Requests to join the working groups I coordinate")),
        Kind(GROUP_DECIDED, _l("Answers to my requests to join working groups")),
        Kind(
            GROUP_NEWS,
            _l("New meetings and documents of my working groups"),
            help=_l("For the people in the group and the owners of member organisations."),
        ),
        Kind(
            CONSULTATION_OPENED,
            _l("New consultations of the coalition"),
            default=Channel.IN_APP,
        ),
    )
}


def kind(code: str) -> Kind:
    """The kind named `code`; an unknown name is a programming error."""
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"unknown notification kind {code!r}") from None


def wants_in_app(channel: str) -> bool:
    """Whether a channel writes a row for the bell."""
    return channel in (Channel.IN_APP, Channel.BOTH)


def wants_email(channel: str) -> bool:
    """Whether a channel sends a mail."""
    return channel in (Channel.EMAIL, Channel.BOTH)
