"""Curation views: free-text skills people typed, folded into the vocabulary or added to it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..i18n import current_locale
from ..services import free_skills as terms
from ..services.orgs import InvalidInput
from ..services.skills import all_skills
from ..text import slugify
from ..web import client_ip
from . import bp, nav_item
from .hygiene_forms import AddSkillForm, FoldForm

nav_item(41, "curation.free_skills", _l("Free-text skills"))


@bp.get("/free-skills")
def free_skills() -> str:
    """Every term typed outside the vocabulary, with how many profiles use it."""
    return render_template("curation/hygiene_free_skills.html", items=terms.free_skill_counts())


def _term_or_404(key: str | None) -> terms.FreeSkill:
    term = terms.find_term((key or "")[:200])
    if term is None:
        abort(404)
    return term


def _decide_page(
    term: terms.FreeSkill, fold_form: FoldForm, add_form: AddSkillForm, status: int = 200
) -> tuple[str, int]:
    return render_template(
        "curation/hygiene_free_skill.html",
        term=term,
        fold_form=fold_form,
        add_form=add_form,
        vocabulary=all_skills(),
    ), status


def _forms(term: terms.FreeSkill) -> tuple[FoldForm, AddSkillForm]:
    suggestion = term.suggestion.label(current_locale()) if term.suggestion else ""
    fold_form = FoldForm(formdata=None, key=term.key, skill=suggestion)
    add_form = AddSkillForm(
        formdata=None, key=term.key, label_es=term.label, label_en=term.label,
        slug=slugify(term.label, max_length=80),
    )  # fmt: skip
    return fold_form, add_form


@bp.get("/free-skills/term")
def free_skill() -> tuple[str, int]:
    """One term: fold it into an existing skill, or add it to the vocabulary."""
    term = _term_or_404(request.args.get("key"))
    return _decide_page(term, *_forms(term))


@bp.post("/free-skills/fold")
def free_skill_fold() -> Response | tuple[str, int]:
    """Replace the term with a vocabulary skill on every profile that typed it."""
    form = FoldForm()
    term = _term_or_404(form.key.data)
    if form.validate_on_submit():
        skill = terms.resolve_skill(form.skill.data or "")
        if skill is not None:
            count = terms.fold_into(term.key, skill, actor=current_user, ip=client_ip())
            db.session.commit()
            flash(
                _("“%(term)s” is now “%(skill)s” on %(n)d profiles and posts.",
                  term=term.label, skill=skill.label(current_locale()), n=count),
                "success",
            )  # fmt: skip
            return redirect(url_for("curation.free_skills"))
        form.skill.errors = [_("Unknown skill: pick one from the list.")]
    return _decide_page(term, form, _forms(term)[1], 400)


@bp.post("/free-skills/add")
def free_skill_add() -> Response | tuple[str, int]:
    """Add the term to the vocabulary with both labels, then fold it into the new skill."""
    form = AddSkillForm()
    term = _term_or_404(form.key.data)
    if form.validate_on_submit():
        try:
            skill, count = terms.add_to_vocabulary(
                term.key,
                label_es=form.label_es.data or "",
                label_en=form.label_en.data or "",
                category=form.category.data or "",
                slug=form.slug.data or "",
                actor=current_user,
                ip=client_ip(),
            )
        except InvalidInput as exc:
            db.session.rollback()
            field = getattr(form, exc.field, form.label_es)
            field.errors = [*field.errors, exc.message]
        else:
            db.session.commit()
            flash(
                _("“%(skill)s” was added to the vocabulary and given to %(n)d profiles and posts.",
                  skill=skill.label(current_locale()), n=count),
                "success",
            )  # fmt: skip
            return redirect(url_for("curation.free_skills"))
    return _decide_page(term, _forms(term)[0], form, 400)
