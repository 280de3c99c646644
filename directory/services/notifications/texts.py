"""A notification's sentences, written in the reader's language when it is read.

Each kind turns its stored codes (a status, a decision) and the live record's title into
a headline and an optional detail line. `title` is None when the reader may no longer see
the record: the text then names neither the record nor anything the curator wrote about
it. Most headlines are the subjects of the mails the same events always sent, so both
read alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import format_date, format_datetime, ngettext
from flask_babel import gettext as _

from ... import vocab
from . import kinds as k

Text = tuple[str, str]  # (headline, detail)
Writer = Callable[[dict[str, Any], "str | None", Any], Text]


def _status(params: dict[str, Any]) -> str:
    return _("New status: %(status)s", status=vocab.label("response_status", params.get("status")))


def _reason(text: Any) -> str:
    text = str(text or "").strip()
    return _("Reason: %(reason)s", reason=text) if text else ""


def _application(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("One of your applications has news"), _status(params)
    return _("Your application to “%(title)s” has news", title=title), _status(params)


def _proposal(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("One of your proposals has news"), _status(params)
    return _("Your proposal for “%(title)s” has news", title=title), _status(params)


def _received(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A new response to a post you can no longer see"), ""
    if params.get("what") == "proposal":
        return _("New proposal for “%(title)s”", title=title), ""
    return _("New application for “%(title)s”", title=title), ""


def _contact_request(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A contact request that is no longer available"), ""
    return _("%(name)s wants to contact you on Directorio IA", name=title), ""


def _contact_answered(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A contact request you sent was answered"), ""
    return _("%(name)s accepted your contact request", name=title), ""


def _moderation(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A curator's decision on a record you can no longer see"), ""
    action = params.get("action")
    if action == "published":
        return _("“%(title)s” is published", title=title), ""
    if action == "rejected":
        return _("“%(title)s” was not published", title=title), _reason(params.get("reason"))
    if action == "hidden":
        return _("Your profile was hidden from the directory"), _reason(params.get("reason"))
    return (
        _("“%(title)s” was taken down after a report", title=title),
        _reason(params.get("reason")),
    )


def _claim(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A decision on your request to manage an organisation"), ""
    if params.get("approved"):
        return _("You now manage “%(org)s”", org=title), ""
    return (
        _("Your request to manage “%(org)s” was declined", org=title),
        _reason(record.resolution if record is not None else ""),
    )


def _invitation(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("An invitation to edit an organisation that is no longer valid"), ""
    accepted = record is not None and record.accepted_at is not None
    return (
        _("Invitation to edit %(org)s on Directorio IA", org=title),
        "" if accepted else _("To accept, open the link in the email we sent you."),
    )


def _revision(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A decision on changes to a record you can no longer see"), ""
    if params.get("action") == "accepted":
        return _("Your changes to “%(title)s” are published", title=title), ""
    return (
        _("Your changes to “%(title)s” were not published", title=title),
        _reason(record.reason if record is not None else ""),
    )


def _match(params: dict[str, Any], title: str | None, record: Any) -> Text:
    count = int(params.get("count") or 1)
    if title is None:
        return _("A match that is no longer available"), ""
    if params.get("alert") == "waysback":
        headline = _("A way back to Mexico: “%(title)s”", title=title)
    else:
        headline = _("New match: “%(title)s”", title=title)
    if count == 1:
        return headline, ""
    more = ngettext("and %(num)d more in your e-mail", "and %(num)d more in your e-mail", count - 1)
    return headline, more


def _reply(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A reply to a question about a record you can no longer see"), ""
    return _("New reply to your question about “%(title)s”", title=title), ""


def _search_result(params: dict[str, Any], title: str | None, record: Any) -> Text:
    name, count = str(params.get("search") or ""), int(params.get("count") or 1)
    if title is None:
        return _("New results of your saved search “%(name)s”", name=name), ""
    if count == 1:
        return _("New in your saved search “%(name)s”: “%(title)s”", name=name, title=title), ""
    headline = ngettext(
        "%(num)d new result of your saved search “%(name)s”",
        "%(num)d new results of your saved search “%(name)s”",
        count,
        name=name,
    )
    return headline, _("Among them: “%(title)s”", title=title)


def _candidates(params: dict[str, Any], title: str | None, record: Any) -> Text:
    count = int(params.get("count") or 1)
    if title is None:
        return _("New candidates for a post you can no longer see"), ""
    return ngettext(
        "%(num)d new person fits “%(title)s”",
        "%(num)d new people fit “%(title)s”",
        count,
        title=title,
    ), ""


def _challenge_question(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A question about a challenge you can no longer see"), ""
    return _("New question about “%(title)s”", title=title), _("Answer it on the challenge's page.")


def _challenge_answer(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A new answer about a challenge you can no longer see"), ""
    return _("New public answer about “%(title)s”", title=title), ""


def _challenge_news(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("News about a challenge you can no longer see"), ""
    if params.get("action") == "outcome":
        outcome = vocab.label("outcome_kinds", params.get("outcome"))
        return _("“%(title)s” was closed: %(outcome)s", title=title, outcome=outcome), ""
    stage = vocab.label("stages", params.get("stage"))
    return _("“%(title)s” moved to the %(stage)s stage", title=title, stage=stage), ""


def _unit_invitation(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("An invitation to an innovation unit that is no longer valid"), ""
    return _("You are invited to join the unit “%(unit)s”", unit=title), _(
        "Accept or decline it under “My innovation units”."
    )


def _proposal_member(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A proposal that named you is no longer available"), ""
    if params.get("role") == "team":
        headline = _("You were named on the team of a proposal for “%(title)s”", title=title)
    else:
        headline = _("You were named as a consortium partner for “%(title)s”", title=title)
    return headline, _("Open it to confirm or decline.")


def _proposal_member_answer(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A partner answered one of your proposals"), ""
    from ..procurement.consortium import member_name  # that package notifies through this one

    name = member_name(record) if record is not None else ""
    if params.get("answer") == "confirmed":
        return _("%(name)s confirmed your proposal for “%(title)s”", name=name, title=title), ""
    return _("%(name)s declined to join your proposal for “%(title)s”", name=name,
             title=title), ""  # fmt: skip


def _proposal_withdrawn(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A proposal was withdrawn from a challenge you can no longer see"), ""
    return _("A proposal for “%(title)s” was withdrawn", title=title), ""


def _application_withdrawn(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("An application was withdrawn from an opening you can no longer see"), ""
    return _("An application to “%(title)s” was withdrawn", title=title), ""


def _coalition(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A decision on a coalition membership"), ""
    action, note = params.get("action"), record.note if record is not None else ""
    tier = vocab.label("coalition_tiers", params.get("tier"))
    if action == "approved":
        return _("“%(org)s” joined the coalition", org=title), _("Tier: %(tier)s", tier=tier)
    if action == "tier":
        return _("The coalition tier of “%(org)s” is now: %(tier)s", org=title, tier=tier), ""
    if action == "ended":
        return _("The coalition membership of “%(org)s” ended", org=title), _reason(note)
    return _("The request of “%(org)s” to join the coalition was declined", org=title), _reason(
        note
    )


def _group_request(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A request to join a working group you no longer coordinate"), ""
    return _("New request to join the working group “%(group)s”", group=title), _(
        "Accept or decline it on the group's coordination page."
    )


def _group_decided(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A decision on a request to join a working group"), ""
    if params.get("approved"):
        return _("Your request to join the working group “%(group)s” was accepted", group=title), ""
    return _("Your request to join the working group “%(group)s” was declined", group=title), ""


def _group_news(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("News from a working group you can no longer see"), ""
    if params.get("what") == "output":
        detail = str(record.title) if record is not None else ""
        return _("New document from the working group “%(group)s”", group=title), detail
    when = format_datetime(record.starts_at, "medium") if record is not None else ""
    return _("New meeting of the working group “%(group)s”", group=title), _(
        "When: %(when)s", when=when
    )


def _consultation(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A consultation that is no longer available"), ""
    closes = format_date(record.closes_on, "long") if record is not None else ""
    return _("A new consultation is open: “%(title)s”", title=title), _(
        "You can answer until %(date)s.", date=closes
    )


def _story_named(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("A success story that named you is no longer available"), ""
    if params.get("for") == "organization":
        headline = _("A success story names your organisation: “%(title)s”", title=title)
    else:
        headline = _("A success story names you: “%(title)s”", title=title)
    return headline, _("Open it to confirm or decline: your name appears only once you confirm.")


def _story_naming_answer(params: dict[str, Any], title: str | None, record: Any) -> Text:
    if title is None:
        return _("Someone named in one of your stories answered"), ""
    from ..stories.naming import party_name  # that package notifies through this one

    name = party_name(record) if record is not None else ""
    if params.get("answer") == "confirmed":
        return _("%(name)s confirmed being named in “%(title)s”", name=name, title=title), ""
    return _("%(name)s declined to be named in “%(title)s”", name=name, title=title), _(
        "Their name does not appear on the story."
    )


WRITERS: dict[str, Writer] = {
    k.STORY_NAMED: _story_named,
    k.STORY_NAMING_ANSWER: _story_naming_answer,
    k.APPLICATION_STATUS: _application,
    k.PROPOSAL_STATUS: _proposal,
    k.RESPONSE_RECEIVED: _received,
    k.CONTACT_REQUEST: _contact_request,
    k.CONTACT_ANSWERED: _contact_answered,
    k.MODERATION: _moderation,
    k.CLAIM_DECIDED: _claim,
    k.INVITATION: _invitation,
    k.REVISION_DECIDED: _revision,
    k.NEW_MATCH: _match,
    k.QUESTION_REPLY: _reply,
    k.SEARCH_RESULT: _search_result,
    k.NEW_CANDIDATES: _candidates,
    k.CHALLENGE_QUESTION: _challenge_question,
    k.CHALLENGE_ANSWER: _challenge_answer,
    k.CHALLENGE_NEWS: _challenge_news,
    k.UNIT_INVITATION: _unit_invitation,
    k.PROPOSAL_MEMBER: _proposal_member,
    k.PROPOSAL_MEMBER_ANSWER: _proposal_member_answer,
    k.PROPOSAL_WITHDRAWN: _proposal_withdrawn,
    k.APPLICATION_WITHDRAWN: _application_withdrawn,
    k.COALITION_DECIDED: _coalition,
    k.GROUP_REQUEST: _group_request,
    k.GROUP_DECIDED: _group_decided,
    k.GROUP_NEWS: _group_news,
    k.CONSULTATION_OPENED: _consultation,
}


def write(kind: str, params: dict[str, Any], title: str | None, record: Any) -> Text:
    """The headline and detail of a notification, in the current language."""
    writer = WRITERS.get(kind)
    if writer is None:  # a kind retired since the row was written
        return _("Notification"), ""
    return writer(params or {}, title, record if title is not None else None)
