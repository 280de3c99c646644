"""A challenge's questions and answers, hiding abusive ones, and following a challenge."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import permissions
from ..extensions import db
from ..models import Challenge
from ..models.procurement import ChallengeQuestion
from ..orgs.forms import ActionForm
from ..services.orgs import InvalidInput
from ..services.procurement import following, questions
from ..web import client_ip
from . import bp
from .common import load_or_404, refuse_hidden
from .forms import AnswerForm, AskForm, HideForm


def _visible_challenge(challenge_id: int) -> Challenge:
    challenge = load_or_404(Challenge, challenge_id)
    if not permissions.can_view_post(current_user, challenge):
        abort(404)
    return challenge


def _question(question_id: int) -> ChallengeQuestion:
    """A question on a challenge the viewer may see (a hidden challenge's is a 404)."""
    question = load_or_404(ChallengeQuestion, question_id)
    if not permissions.can_view_post(current_user, question.challenge):
        abort(404)
    return question


def _back(challenge_id: int, anchor: str = "questions") -> Response:
    return redirect(url_for("public.challenge", challenge_id=challenge_id, _anchor=anchor))


def _flash_errors(form: AskForm | AnswerForm | HideForm) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")


@bp.post("/challenges/<int:challenge_id>/questions")
@login_required
def ask(challenge_id: int) -> Response:
    """Ask the posting organisation a question (public unless marked private)."""
    challenge = _visible_challenge(challenge_id)
    form = AskForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _back(challenge.id)
    try:
        question = questions.ask(
            challenge,
            current_user,
            form.question.data,
            public=not form.private.data,
            ip=client_ip(),
        )
    except InvalidInput as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return _back(challenge.id)
    db.session.commit()
    flash(
        _("Your question was sent. You will be told when the organisation answers it."),
        "success",
    )
    return _back(challenge.id, f"question-{question.id}")


@bp.post("/questions/<int:question_id>/answer")
@login_required
def answer(question_id: int) -> Response:
    """The organisation's editors answer a question (or correct their answer)."""
    question = _question(question_id)
    if not questions.can_answer(current_user, question):
        abort(403)
    form = AnswerForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _back(question.challenge_id, f"question-{question.id}")
    try:
        first = questions.answer(question, form.answer.data, actor=current_user, ip=client_ip())
    except InvalidInput as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        if first:
            flash(_("Your answer is published and the people concerned were told."), "success")
        else:
            flash(_("Your answer was corrected."), "success")
    return _back(question.challenge_id, f"question-{question.id}")


@bp.post("/questions/<int:question_id>/hide")
@login_required
def hide_question(question_id: int) -> Response:
    """Curators and the organisation's editors hide an abusive question."""
    question = _question(question_id)
    if not questions.can_hide(current_user, question):
        abort(403)
    form = HideForm()
    if form.validate_on_submit():
        try:
            questions.hide(question, form.reason.data, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The question is hidden."), "success")
    else:
        _flash_errors(form)
    return _back(question.challenge_id)


@bp.post("/questions/<int:question_id>/restore")
@login_required
def restore_question(question_id: int) -> Response:
    """Curators show a hidden question again."""
    question = _question(question_id)
    if not permissions.is_curator(current_user):
        abort(403)
    if ActionForm().validate_on_submit():
        try:
            questions.restore(question, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The question is shown again."), "success")
    return redirect(url_for("procurement.hidden_questions", challenge_id=question.challenge_id))


@bp.get("/challenges/<int:challenge_id>/questions/hidden")
@login_required
def hidden_questions(challenge_id: int) -> str:
    """Curators read a challenge's hidden questions; every reading is audited."""
    challenge = load_or_404(Challenge, challenge_id)
    if not permissions.is_curator(current_user):
        refuse_hidden(permissions.can_view_post(current_user, challenge))
    rows = questions.hidden_questions(challenge, curator=current_user, ip=client_ip())
    db.session.commit()  # the audit event of this reading
    return render_template(
        "procurement/hidden_questions.html",
        post=challenge,
        rows=rows,
        action_form=ActionForm(),
    )


@bp.post("/challenges/<int:challenge_id>/follow")
@login_required
def follow(challenge_id: int) -> Response:
    """Follow a challenge: hear of its answers, stages and outcome."""
    challenge = _visible_challenge(challenge_id)
    if ActionForm().validate_on_submit():
        try:
            following.follow(challenge, current_user)
        except following.FollowError:
            db.session.rollback()
            flash(_("Only a published challenge can be followed."), "error")
        else:
            db.session.commit()
            flash(_("You follow this challenge."), "success")
    return _back(challenge.id, "follow")


@bp.post("/challenges/<int:challenge_id>/unfollow")
@login_required
def unfollow(challenge_id: int) -> Response:
    """Stop following a challenge."""
    challenge = _visible_challenge(challenge_id)
    if ActionForm().validate_on_submit() and following.unfollow(challenge, current_user):
        db.session.commit()
        flash(_("You no longer follow this challenge."), "success")
    if request.form.get("back") == "following":  # the button on /me/following
        return redirect(url_for("procurement.following_list"))
    return _back(challenge.id, "follow")


@bp.get("/me/following")
@login_required
def following_list() -> str:
    """The challenges I follow, each with a way to stop."""
    return render_template(
        "procurement/following.html",
        challenges=following.followed(current_user),
        action_form=ActionForm(),
    )
