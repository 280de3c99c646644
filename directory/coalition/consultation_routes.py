"""Consultations for members: the list, answering (and changing answers), the results."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import charts
from ..curation.tables import Table
from ..extensions import db
from ..i18n import current_locale
from ..models.coalition import Consultation, QuestionKind
from ..orgs.forms import ActionForm
from ..services.coalition import answers, consultations, results
from ..services.coalition.common import can_view_consultation, phase
from ..services.orgs import InvalidInput
from . import bp
from .common import Page, load_or_404
from .forms import AnswerForm


def _consultation(consultation_id: int) -> Consultation:
    record = load_or_404(Consultation, consultation_id)
    if not can_view_consultation(current_user, record):
        abort(404)
    return record


@bp.get("/consultas")
def consultations_list() -> str:
    """Published consultations: open ones first, with whether I answered."""
    rows = consultations.listed()
    order = {"open": 0, "upcoming": 1, "closed": 2}
    rows.sort(key=lambda c: order.get(phase(c), 3))
    return render_template(
        "coalition/consultations.html",
        rows=[(c, phase(c)) for c in rows],
        answered=answers.answered_ids(current_user, [c.id for c in rows]),
        locale=current_locale(),
    )


def _page(record: Consultation, form: AnswerForm | None, *, errors: dict[str, Any] | None = None,
          values: dict[int, Any] | None = None) -> str:  # fmt: skip
    saved = answers.saved_answers(record, current_user)
    return render_template(
        "coalition/consultation.html",
        consultation=record,
        locale=current_locale(),
        phase=phase(record),
        form=form,
        action_form=ActionForm() if current_user.is_authenticated else None,
        answered=bool(saved),
        values=values if values is not None else answers.as_form_values(saved),
        errors=errors or {},
        name_of=answers.name_of,
        kinds=QuestionKind,
    )


def _posted_values(record: Consultation) -> dict[int, Any]:
    """What the member sent, to show the form again after a refusal (nothing is saved)."""
    out: dict[int, Any] = {}
    for question in record.questions:
        raw = request.form.getlist(answers.name_of(question))
        picked = [int(v) for v in raw if v.isdigit() and len(v) < 4]
        out[question.id] = {"choices": picked, "scale": picked[0] if picked else None,
                            "text": "\n".join(raw)[: answers.MAX_TEXT]}  # fmt: skip
    return out


@bp.route("/consultas/<int:consultation_id>", methods=["GET", "POST"])
def consultation(consultation_id: int) -> Page:
    """The consultation's context and questions; signed-in members answer until it closes."""
    record = _consultation(consultation_id)
    # Anonymous visitors get no form: no CSRF token, so no session cookie for them.
    form = AnswerForm() if current_user.is_authenticated else None
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.path))
        if form is not None and form.validate_on_submit():
            try:
                first = answers.submit(record, current_user, request.form)
            except InvalidInput as exc:
                db.session.rollback()
                errors = {exc.field: exc.message}
                return _page(record, form, errors=errors, values=_posted_values(record)), 400
            db.session.commit()
            flash(_("Thank you: your answers were saved.") if first
                  else _("Your answers were changed."), "success")  # fmt: skip
            return redirect(url_for("coalition.consultation", consultation_id=record.id))
    return _page(record, form)


@bp.post("/consultas/<int:consultation_id>/retirar")
@login_required
def withdraw(consultation_id: int) -> Response:
    """Take my answers back while the consultation is open."""
    record = _consultation(consultation_id)
    if ActionForm().validate_on_submit():
        try:
            removed = answers.withdraw(record, current_user)
        except InvalidInput as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            if removed:
                flash(_("Your answers were deleted."), "success")
    return redirect(url_for("coalition.consultation", consultation_id=record.id))


def figures(found: results.Results, locale: str) -> list[dict[str, Any]]:
    """Each shown question's table and chart (drawn from that table)."""
    out = []
    for number, result in enumerate(found.questions, start=1):
        item: dict[str, Any] = {"result": result, "number": number}
        if result.shown and result.counts:
            header = _("Value") if result.question.kind == QuestionKind.SCALE else _("Option")
            table = Table(f"q{result.question.id}", result.question.text(locale),
                          [header, _("Answers")])  # fmt: skip
            for label, count in result.counts:
                table.add([label, count])
            item["table"] = table
            item["chart"] = charts.bar_chart(f"q{result.question.id}",
                                             [(str(r[0]), r[1]) for r in table.rows],
                                             title=table.caption)  # fmt: skip
        out.append(item)
    return out


@bp.get("/consultas/<int:consultation_id>/resultados")
def results_page(consultation_id: int) -> str:
    """Counts and charts per question, once enough people answered (never who answered)."""
    record = _consultation(consultation_id)
    locale = current_locale()
    found = results.results(record, locale)
    return render_template(
        "coalition/results.html",
        consultation=record,
        locale=locale,
        phase=phase(record),
        found=found,
        figures=figures(found, locale),
        threshold=results.THRESHOLD,
    )
