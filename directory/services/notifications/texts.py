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

from flask_babel import gettext as _
from flask_babel import ngettext

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


WRITERS: dict[str, Writer] = {
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
}


def write(kind: str, params: dict[str, Any], title: str | None, record: Any) -> Text:
    """The headline and detail of a notification, in the current language."""
    writer = WRITERS.get(kind)
    if writer is None:  # a kind retired since the row was written
        return _("Notification"), ""
    return writer(params or {}, title, record if title is not None else None)
