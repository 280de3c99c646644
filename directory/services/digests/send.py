"""Send one digest: re-check every item for its recipient now, then one mail (text + HTML)
in their language, with one-click unsubscribe links (RFC 8058 headers)."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import select

from ...extensions import db
from ...jobs import job
from ...matching import visibility
from ...matching.store import MODELS, is_indexable
from ...matching_views.present import title_of, url_of
from ...models import User, utcnow
from ...models.alerts import SavedSearch
from ...models.deliveries import AlertSettings, Digest, DigestStatus
from ...permissions import can_edit_post
from ...reasons import kind_label
from .collect import post_of
from .unsubscribe import EVERYTHING, make_token

Section = tuple[str, str, list[tuple[str, Any]]]  # (alert, heading, [(kind, record)])


def _alert_is_on(
    user: User, alert: str, settings: AlertSettings | None, searches: dict[int, SavedSearch]
) -> bool:
    if settings is not None and settings.all_off:
        return False
    if alert in ("matches", "waysback"):
        # Matches need the person's consent now, not when the run found them.
        consents = user.profile is not None and is_indexable("profile", user.profile)
        column = "match_frequency" if alert == "matches" else "ways_back_frequency"
        return consents and (settings is None or getattr(settings, column) != "never")
    if alert.startswith("search:"):
        saved = searches.get(int(alert[7:]))  # the person's own searches only
        return saved is not None and saved.is_active
    if alert.startswith("candidates:"):
        key = post_of(alert)
        post = db.session.get(MODELS[key[0]], key[1]) if key else None
        # Still an editor of a post that is still listed: otherwise nothing is said.
        on = settings is None or settings.candidate_frequency != "never"
        return on and post is not None and is_indexable(key[0], post) and can_edit_post(user, post)
    return False


def _heading(alert: str, searches: dict[int, SavedSearch]) -> str:
    if alert.startswith("search:"):
        saved = searches.get(int(alert[7:]))
        return _("Your saved search “%(name)s”", name=saved.name if saved else "")
    if alert == "waysback":
        return _("Ways back to Mexico: openings with relocation, remote work or research stays")
    if alert.startswith("candidates:"):
        key = post_of(alert)
        post = db.session.get(MODELS[key[0]], key[1]) if key else None
        return _("New people who fit “%(title)s”", title=post.title if post else "")
    return _("New openings and challenges that fit your profile")


def sections_for(user: User, digest: Digest) -> list[Section]:
    """What the person may still see of the digest, grouped by alert, in order."""
    settings = db.session.get(AlertSettings, user.id)
    searches = {s.id: s for s in db.session.scalars(select(SavedSearch).filter_by(user_id=user.id))}
    alerts = dict.fromkeys(item["alert"] for item in digest.items)  # distinct, in order
    on = [alert for alert in alerts if _alert_is_on(user, alert, settings, searches)]
    keys = [(i["kind"], i["id"]) for i in digest.items if i["alert"] in on]
    shown = visibility.load_shown(keys, user, with_skills=False)  # re-checked at send time
    out: list[Section] = []
    for alert in on:
        records = [(i["kind"], shown[i["kind"], i["id"]]) for i in digest.items
                   if i["alert"] == alert and (i["kind"], i["id"]) in shown]  # fmt: skip
        if records:
            out.append((alert, _heading(alert, searches), records))
    return out


def _unsubscribe_url(user: User, alert: str) -> str:
    # One switch stops candidates for every post (a link per post would be a maze).
    alert = "candidates" if alert.startswith("candidates:") else alert
    token = make_token(user.id, alert, current_app.config["SECRET_KEY"])
    return url_for("public.unsubscribe", token=token, _external=True)


def compose(user: User, sections: list[Section]) -> tuple[str, str, str, dict[str, str]]:
    """Subject, plain text, HTML and headers of a digest, in the current locale."""
    count = sum(len(records) for _a, _h, records in sections)
    subject = ngettext("%(num)d new in Directorio IA", "%(num)d new in Directorio IA", count)
    lines: list[str] = [_("Hello. This is what is new for you in Directorio IA:"), ""]
    html: list[str] = [f"<p>{escape(lines[0])}</p>"]
    for alert, heading, records in sections:
        lines.append(heading)
        html.append(f"<h2>{escape(heading)}</h2><ul>")
        for kind, record in records:
            title, link = title_of(kind, record, str(get_locale())), url_of(kind, record, True)
            label = kind_label(kind)
            lines.append(f"- {title} ({label}): {link}")
            html.append(f'<li><a href="{escape(link)}">{escape(title)}</a> ({escape(label)})</li>')
        stop = _unsubscribe_url(user, alert)
        lines += [_("Stop these e-mails: %(link)s", link=stop), ""]
        html.append(f'</ul><p><a href="{escape(stop)}">{escape(_("Stop these e-mails"))}</a></p>')
    everything = _unsubscribe_url(user, EVERYTHING)
    lines.append(_("Stop every alert e-mail: %(link)s", link=everything))
    html.append(f'<p><a href="{escape(everything)}">{escape(_("Stop every alert e-mail"))}</a></p>')
    headers = {"List-Unsubscribe": f"<{everything}>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}  # fmt: skip
    return subject, "\n".join(lines), "\n".join(html), headers


@job(retries=5, retry_delay=60)
def send_digest(digest_id: int) -> None:
    """Send a built digest once (a retry after it was sent does nothing)."""
    digest = db.session.get(Digest, digest_id)
    if digest is None or digest.status != DigestStatus.PENDING:
        return
    user = db.session.get(User, digest.user_id)
    if user is None or not user.active:
        digest.status = DigestStatus.DROPPED
        db.session.commit()
        return
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        sections = sections_for(user, digest)
        if not sections:
            digest.status = DigestStatus.DROPPED
            db.session.commit()
            return
        subject, text, html, headers = compose(user, sections)
    from ...mail import send_mail

    send_mail(user.email, subject, text, html=html, headers=headers)
    digest.status, digest.sent_at = DigestStatus.SENT, utcnow()
    db.session.commit()
