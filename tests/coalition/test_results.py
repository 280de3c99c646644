"""SECURITY.md row 45: no figure from fewer than five answers, never who answered what;
free-text answers for curators only (CSV export audited). Rows 17-19/44: answers stay text."""

from __future__ import annotations

import re

from flask import Flask

from directory.extensions import db
from directory.models.coalition import Consultation

from .. import factories as f
from .helpers import answer, audited, login

XSS = "<img src=x onerror=alert(1)><script>alert(2)</script>"


def _answered_by(app: Flask, count: int, **answers: object) -> int:
    """A published consultation answered by `count` members (the same answers each)."""
    with app.app_context():
        record = f.consultation()
        for n in range(count):
            answer(record, f.user(f"persona{n}@example.org"), **answers)
        return record.id


def _numbers(html: str) -> str:
    """The results part of the page (below the heading), where figures would appear."""
    return html.split("<h1>", 1)[1]


def test_four_answers_show_no_figure_at_all(app: Flask) -> None:
    record_id = _answered_by(app, 4, q1=0, q2=[0, 1], q3=4, q4="Una idea")
    page = app.test_client().get(f"/consultas/{record_id}/resultados").get_data(as_text=True)
    assert 'data-test="results-hidden"' in page
    assert 'data-test="respondents"' not in page and "<svg" not in page
    assert 'data-test="question-result"' not in page
    # No count anywhere: the only digits are the threshold in the explanation.
    assert "4" not in re.sub(r"<[^>]+>", "", _numbers(page)).replace("5", "")


def test_the_fifth_answer_shows_counts_charts_and_tables(app: Flask) -> None:
    record_id = _answered_by(app, 5, q1=0, q2=[0, 2], q3=4, q4="Una idea")
    client = app.test_client()
    client.set_cookie("lang", "en")
    page = client.get(f"/consultas/{record_id}/resultados").get_data(as_text=True)
    assert "5 people answered." in page
    sections = page.split('data-test="question-result"')[1:]
    assert len(sections) == 4
    single, multiple, scale, text = sections
    assert 'data-shown="yes"' in single and "<svg" in single and 'data-test="table-q' in single
    assert re.search(r'<th scope="row">Yes</th>\s*<td class="num">5</td>', single)
    assert re.search(r'<th scope="row">No</th>\s*<td class="num">0</td>', single)
    assert "Average: 4.0" in scale
    assert "Una idea" not in page  # free text: curators only
    assert 'data-test="table-q' not in text


def test_a_question_with_four_answers_stays_hidden_among_five_respondents(app: Flask) -> None:
    with app.app_context():
        record = f.consultation()
        for n in range(5):
            extra = {"q2": [1]} if n < 4 else {}
            answer(record, f.user(f"p{n}@example.org"), q1=1, **extra)
        record_id = record.id
    page = app.test_client().get(f"/consultas/{record_id}/resultados").get_data(as_text=True)
    sections = page.split('data-test="question-result"')[1:]
    assert 'data-shown="yes"' in sections[0]
    assert 'data-shown="no"' in sections[1] and "<svg" not in sections[1]
    assert 'data-test="question-hidden"' in sections[1]


def test_nobody_is_named_in_the_results(app: Flask) -> None:
    with app.app_context():
        record = f.consultation()
        for n in range(6):
            person = f.user(f"nombre{n}@example.org")
            f.profile(person, full_name=f"Nombre Visible {n}")
            answer(record, person, q1=n % 2, q4=f"Propuesta {n}")
        record_id = record.id
        f.user("curator@example.org", role="curator")
    curator = login(app, "curator@example.org")
    for url in (
        f"/consultas/{record_id}/resultados",
        f"/curation/consultations/{record_id}/answers",
        f"/curation/consultations/{record_id}/answers?format=csv",
    ):
        body = curator.get(url).get_data(as_text=True)
        assert "Nombre Visible" not in body and "@example.org" not in body, url


def test_curators_read_and_export_free_text_without_names_audited(app: Flask) -> None:
    with app.app_context():
        record = f.consultation()
        for n, text in enumerate(["zeta", "=cmd|' /C calc'!A0", XSS, "alfa", "Beta"]):
            answer(record, f.user(f"t{n}@example.org"), q4=text)
        record_id = record.id
        f.user("curator@example.org", role="curator")
        f.user("member@example.org")
    url = f"/curation/consultations/{record_id}/answers"
    assert login(app, "member@example.org").get(url).status_code == 403
    curator = login(app, "curator@example.org")
    page = curator.get(url).get_data(as_text=True)
    shown = re.findall(r'data-test="free-text-answer">([^<]*)<', page)
    assert shown[:2] == [
        "&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;",
        "=cmd|&#39; /C calc&#39;!A0",
    ]
    assert shown[2:] == ["alfa", "Beta", "zeta"]  # by their words, not by arrival
    assert "<script>alert(2)" not in page
    csv = curator.get(url + "?format=csv")
    assert csv.mimetype == "text/csv" and csv.headers["Cache-Control"] == "no-store"
    text = csv.get_data(as_text=True)
    assert "'=cmd" in text  # a formula is defused
    assert "alfa" in text and "t0@example.org" not in text
    with app.app_context():
        assert audited("consultation.export_free_text") == 1


def test_four_free_text_answers_are_not_shown_to_curators_either(app: Flask) -> None:
    record_id = _answered_by(app, 4, q4="Secreto pequeño")
    with app.app_context():
        f.user("curator@example.org", role="curator")
    curator = login(app, "curator@example.org")
    for url in (
        f"/curation/consultations/{record_id}/answers",
        f"/curation/consultations/{record_id}/answers?format=csv",
        "/curation/consultations",
    ):
        assert "Secreto pequeño" not in curator.get(url).get_data(as_text=True), url
    admin = curator.get("/curation/consultations").get_data(as_text=True)
    assert ">4<" not in admin


def test_results_of_a_draft_are_for_curators_only(app: Flask) -> None:
    with app.app_context():
        record_id = f.consultation(status="draft").id
        f.user("curator@example.org", role="curator")
    assert app.test_client().get(f"/consultas/{record_id}/resultados").status_code == 404
    assert (
        login(app, "curator@example.org").get(f"/consultas/{record_id}/resultados").status_code
        == 200
    )
    with app.app_context():
        assert db.session.get(Consultation, record_id).status == "draft"


def test_curators_hide_an_abusive_free_text_everywhere_audited(app: Flask) -> None:
    with app.app_context():
        record = f.consultation()
        texts = ["Insulto grosero", "Una propuesta", "Insulto grosero", "Otra idea", "Más datos"]
        for n, text in enumerate(texts):
            answer(record, f.user(f"h{n}@example.org"), q4=text)
        record_id, question_id = record.id, record.questions[3].id
        f.user("curator@example.org", role="curator")
    curator = login(app, "curator@example.org")
    url = f"/curation/consultations/{record_id}/answers"
    hide = f"{url}/hide"
    # Another question's id, or a text nobody wrote, hides nothing.
    curator.post(hide, data={"question": "999999", "text": "Insulto grosero"})
    curator.post(hide, data={"question": str(question_id), "text": "Insulto"})
    assert curator.get(url).get_data(as_text=True).count("Insulto grosero") == 2 * 2  # text+input
    curator.post(hide, data={"question": str(question_id), "text": "Insulto grosero"})
    for body in (
        curator.get(url).get_data(as_text=True),
        curator.get(url + "?format=csv").get_data(as_text=True),
    ):
        assert "Insulto grosero" not in body
        assert "Una propuesta" in body and "Otra idea" in body
    with app.app_context():
        assert audited("consultation.answer_hidden") == 1
