"""Curators' pages of the consultations: write one and its questions, publish it, read the
free-text answers (without names) and export them as CSV (audited).

Attached to the curation blueprint (its guard: curators only; its navigation).
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from ..curation import bp as curation_bp
from ..curation import nav_item
from ..curation.tables import Table, to_csv
from ..extensions import db
from ..i18n import current_locale
from ..models.coalition import Consultation, ConsultationQuestion
from ..orgs.forms import ActionForm
from ..services import audit
from ..services.coalition import consultations, results
from ..services.coalition.common import phase
from ..services.orgs import InvalidInput
from ..web import client_ip
from .common import Page, field_error, load_or_404
from .forms import ConsultationForm, QuestionForm

nav_item(42, "curation.consultations_admin", _l("Consultations"))


@curation_bp.get("/consultations")
def consultations_admin() -> str:
    """Every consultation with its phase and how many answered (curators may count)."""
    rows = consultations.all_consultations()
    return render_template(
        "coalition/curation_consultations.html",
        rows=[(c, phase(c), results.respondents(c)) for c in rows],
        locale=current_locale(),
    )


@curation_bp.route("/consultations/new", methods=["GET", "POST"])
def new_consultation() -> Page:
    """Start a consultation (a draft: add its questions, then publish it)."""
    form = ConsultationForm()
    if form.validate_on_submit():
        try:
            record = consultations.create(form.data, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            field_error(form, exc)
        else:
            db.session.commit()
            flash(_("The consultation was saved as a draft. Add its questions."), "success")
            return redirect(url_for("curation.edit_consultation", consultation_id=record.id))
    return render_template("coalition/curation_consultation.html", form=form, record=None)


def _edit_page(record: Consultation, form: ConsultationForm, question_form: QuestionForm) -> str:
    return render_template(
        "coalition/curation_consultation.html",
        form=form,
        record=record,
        phase=phase(record),
        question_form=question_form,
        action_form=ActionForm(),
        locale=current_locale(),
    )


@curation_bp.route("/consultations/<int:consultation_id>", methods=["GET", "POST"])
def edit_consultation(consultation_id: int) -> Page:
    """Edit the title, context and dates; add or remove questions while it is a draft."""
    record = load_or_404(Consultation, consultation_id)
    form = ConsultationForm(obj=record)
    if form.validate_on_submit():
        try:
            changed = consultations.update(record, form.data, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            field_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your changes were saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("curation.edit_consultation", consultation_id=record.id))
    return _edit_page(record, form, QuestionForm(prefix="question"))


@curation_bp.post("/consultations/<int:consultation_id>/questions")
def add_question(consultation_id: int) -> Page:
    """Add a question to a draft consultation."""
    record = load_or_404(Consultation, consultation_id)
    form = QuestionForm(prefix="question")
    if form.validate_on_submit():
        data = {name.removeprefix("question-"): value for name, value in form.data.items()}
        try:
            consultations.add_question(record, data, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            field_error(form, exc)
        else:
            db.session.commit()
            flash(_("The question was added."), "success")
            return redirect(url_for("curation.edit_consultation", consultation_id=record.id,
                                    _anchor="questions"))  # fmt: skip
    return _edit_page(record, ConsultationForm(obj=record), form), 400


@curation_bp.post("/consultations/questions/<int:consultation_question_id>/delete")
def delete_question(consultation_question_id: int) -> WerkzeugResponse:
    """Remove a question from a draft consultation."""
    question = load_or_404(ConsultationQuestion, consultation_question_id)
    record = question.consultation
    if ActionForm().validate_on_submit():
        try:
            consultations.delete_question(question, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The question was removed."), "success")
    return redirect(
        url_for("curation.edit_consultation", consultation_id=record.id, _anchor="questions")
    )


@curation_bp.post("/consultations/<int:consultation_id>/publish")
def publish_consultation(consultation_id: int) -> WerkzeugResponse:
    """Publish a draft: it opens to members on its opening date, and they are told."""
    record = load_or_404(Consultation, consultation_id)
    if ActionForm().validate_on_submit():
        try:
            told = consultations.publish(record, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The consultation is open and members are being told.") if told
                  else _("The consultation is published; members will be told when it opens."),
                  "success")  # fmt: skip
    return redirect(url_for("curation.edit_consultation", consultation_id=record.id))


def _texts_table(record: Consultation, locale: str) -> Table:
    table = Table("free-text", _("Free-text answers"), [_("Question"), _("Answer")])
    for question, texts in results.free_texts(record, locale):
        for text in texts:
            table.add([question.text(locale), text])
    return table


@curation_bp.get("/consultations/<int:consultation_id>/answers")
def consultation_answers(consultation_id: int) -> str | Response:
    """The free-text answers, without names or order of arrival; ?format=csv exports them."""
    record = load_or_404(Consultation, consultation_id)
    locale = current_locale()
    if request.args.get("format") == "csv":
        table = _texts_table(record, locale)
        audit.record("consultation.export_free_text", actor=current_user,
                     target_kind="consultation", target_id=record.id, ip=client_ip(),
                     rows=len(table.rows))  # fmt: skip
        db.session.commit()
        response = Response("\ufeff" + to_csv(table), mimetype="text/csv")
        response.headers["Content-Disposition"] = (
            f'attachment; filename="consultation-{record.id}-free-text.csv"'
        )
        response.headers["Cache-Control"] = "no-store"
        return response
    return render_template(
        "coalition/curation_answers.html",
        record=record,
        locale=locale,
        texts=results.free_texts(record, locale),
        found=results.results(record, locale),
        threshold=results.THRESHOLD,
    )


@curation_bp.post("/consultations/<int:consultation_id>/answers/hide")
def hide_answer(consultation_id: int) -> WerkzeugResponse:
    """Hide an abusive free-text answer from the curators' list and the export (audited)."""
    record = load_or_404(Consultation, consultation_id)
    if ActionForm().validate_on_submit():
        hidden = results.hide_text(record, request.form.get("question"), request.form.get("text"),
                                   actor=current_user, ip=client_ip())  # fmt: skip
        db.session.commit()
        if hidden:
            flash(_("The answer was hidden."), "success")
    return redirect(url_for("curation.consultation_answers", consultation_id=record.id))
