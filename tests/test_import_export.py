"""`flask import` and `flask export`: the JSON Lines format, its checks and its privacy rules."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.matching import service
from directory.models import (
    AuditEvent,
    Challenge,
    Embedding,
    Membership,
    Opening,
    Organization,
    Profile,
    User,
)
from directory.services.importer import InvalidImport, import_lines
from directory.services.passwords import verify_password

from . import factories
from .conftest import KEEP_TABLES, PASSWORD

MODELS = (Organization, Opening, Challenge, Profile, User, Membership)
SOON = (date.today() + timedelta(days=20)).isoformat()


def jsonl(*records: dict[str, Any] | str) -> str:
    """A JSON Lines text; strings are written as they are (to test bad lines)."""
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"


def run_import(runner: Any, tmp_path: Path, text: str, *options: str) -> Any:
    path = tmp_path / "records.jsonl"
    path.write_text(text, encoding="utf-8")
    return runner.invoke(args=["import", str(path), *options])


def row_counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in MODELS}


def by_slug(slug: str) -> Organization:
    return db.session.scalar(select(Organization).where(Organization.slug == slug))


def slugs(record: Any) -> set[str]:
    return {skill.slug for skill in record.skills}


AGENCY = {"type": "organization", "ref": "agua", "name": "Comisión del Agua",
          "kind": "government_agency", "state": "JAL", "sectors": ["environment"]}  # fmt: skip
STARTUP = {"type": "organization", "ref": "vision", "slug": "vision-mx", "name": "Visión MX",
           "kind": "startup", "skills": ["Visión por computadora"],
           "website": "https://vision.example.org"}  # fmt: skip
OPENING = {"type": "opening", "organization": "vision", "title": "Ingeniera de ML",
           "skills": ["Aprendizaje automático", "Python"], "state": "NLE", "closes_on": SOON,
           "salary_min": 40000, "salary_max": 60000}  # fmt: skip
CHALLENGE = {"type": "challenge", "organization": "agua", "title": "Detectar fugas",
             "skills": "Computer vision, Machine learning", "stage": "pilot",
             "eligibility": ["startups"], "closes_on": SOON}  # fmt: skip
PERSON = {"type": "profile", "email": "Lucia@Example.org", "full_name": "Lucía Pérez",
          "headline": "Científica de datos", "skills": ["NLP", "aprendizaje de maquina"],
          "state": "CMX", "organization": "vision", "role": "owner"}  # fmt: skip


def test_import_adds_every_type_with_refs_and_skills_in_either_language(app, runner, tmp_path):
    text = jsonl(OPENING, AGENCY, STARTUP, CHALLENGE, PERSON)  # refs may point forward
    result = run_import(runner, tmp_path, text, "--no-embed")
    assert result.exit_code == 0, result.output
    assert "Imported organizations: 2, profiles: 1, openings: 1, challenges: 1 (" in result.output
    with app.app_context():
        startup, agency = by_slug("vision-mx"), by_slug("comision-del-agua")
        assert startup.status == agency.status == "published" and startup.published_at
        assert slugs(startup) == {"computer-vision"}  # Spanish label
        opening = db.session.scalar(select(Opening))
        assert opening.organization == startup and opening.state_code == "NLE"
        assert slugs(opening) == {"machine-learning", "python"}
        assert opening.closes_on.isoformat() == SOON and opening.salary_max == 60000
        challenge = db.session.scalar(select(Challenge))
        assert challenge.organization == agency and challenge.stage == "pilot"
        assert slugs(challenge) == {"computer-vision", "machine-learning"}  # English labels
        user = db.session.scalar(select(User))
        assert user.email == "lucia@example.org"
        profile = user.profile
        assert slugs(profile) == {"natural-language-processing", "machine-learning"}  # synonyms
        # Private and without consent until the person decides otherwise.
        assert profile.visibility == "private"
        assert not profile.contact_consent and not profile.matching_consent
        # No password works: the person must use "forgot password".
        assert user.password_hash.startswith("scrypt:")
        assert not verify_password(user.password_hash, PASSWORD)
        assert not verify_password(user.password_hash, "")
        assert startup.role_of(user) == "owner"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "data.imported"))
        assert event.details == {"organization": 2, "profile": 1, "opening": 1, "challenge": 1}


def test_imported_accounts_all_get_different_unusable_hashes(app, tmp_path):
    people = [dict(PERSON, email=f"p{i}@example.org") for i in range(3)]
    for person in people:
        del person["organization"], person["role"]
    with app.app_context():
        import_lines(jsonl(*people).splitlines(), embed=False)
        hashes = set(db.session.scalars(select(User.password_hash)))
    assert len(hashes) == 3


def test_an_imported_person_signs_in_through_password_reset(app, runner, tmp_path, client, auth):
    person = {"type": "profile", "email": "nueva@example.org", "full_name": "Nueva"}
    assert run_import(runner, tmp_path, jsonl(person), "--no-embed").exit_code == 0
    assert auth.login("nueva@example.org", "").status_code == 200  # refused: no password
    client.post("/password/forgot", data={"email": "nueva@example.org"})
    body = app.extensions["outbox"][-1].get_content()
    link = re.search(r"http://localhost(/password/reset/\S+)", body).group(1)
    client.post(link, data={"password": PASSWORD, "confirm": PASSWORD})
    assert auth.login("nueva@example.org").status_code == 302


def test_import_points_at_organisations_already_in_the_directory(app, runner, tmp_path):
    with app.app_context():
        factories.org(slug="ya-existe", kind="company")
    text = jsonl(
        {"type": "opening", "organization": "ya-existe", "title": "Analista"},
        dict(CHALLENGE, organization="ya-existe"),
    )
    result = run_import(runner, tmp_path, text, "--no-embed")
    assert result.exit_code == 0, result.output
    with app.app_context():
        opening = db.session.scalar(select(Opening))
        # Minimal openings: no description, skills, state or closing date, and still open.
        assert opening.organization.slug == "ya-existe" and opening.closes_on is None
        assert opening.state_code is None and opening.status == "published"


def test_importing_the_same_file_twice_is_refused(app, runner, tmp_path):
    text = jsonl(AGENCY, dict(STARTUP, slug=None), CHALLENGE)
    assert run_import(runner, tmp_path, text, "--no-embed").exit_code == 0
    again = run_import(runner, tmp_path, text, "--no-embed")
    assert again.exit_code == 1
    assert (
        'line 1: organization: an organisation named "Comisión del Agua" is already in the '
        "directory (slug comision-del-agua)" in again.output
    )
    assert "line 2: organization: an organisation named" in again.output
    with app.app_context():
        assert row_counts()["Organization"] == 2 and row_counts()["Challenge"] == 1


def test_import_keeps_the_status_it_is_given(app, runner, tmp_path):
    text = jsonl(dict(STARTUP, status="pending"), dict(OPENING, status="draft"))
    assert run_import(runner, tmp_path, text, "--no-embed").exit_code == 0
    with app.app_context():
        assert (
            by_slug("vision-mx").status == "pending" and by_slug("vision-mx").published_at is None
        )
        assert db.session.scalar(select(Opening.status)) == "draft"


# Each bad line with the message it must produce (None: a good line); line n is index + 1.
BAD_LINES = [
    (STARTUP, None),
    ('{"type": "opening", "title": ', "bad JSON (Expecting value at column 30)"),
    ("[1, 2]", "expected a JSON object"),
    ({"title": "x"}, "type is missing"),
    ({"type": "person"}, 'unknown type "person"'),
    (dict(OPENING, titel="x"), 'opening: unknown field "titel"'),
    ({"type": "opening", "organization": "vision"}, "opening: title is required"),
    (dict(OPENING, closes_on="31/12/2030"), "opening: closes_on must be a date (YYYY-MM-DD)"),
    (dict(OPENING, kind="gig"), "opening: kind must be one of: job, internship"),
    (
        {"type": "organization", "name": "Cobol Lab", "kind": "startup", "skills": ["Cobol 2000"]},
        'organization: unknown skill "Cobol 2000"',
    ),
    (dict(OPENING, organization="nadie"), 'opening: organization "nadie" is neither'),
    (dict(OPENING, state="Jalisco"), "opening: state must be a Mexican state code"),
    (dict(OPENING, salary_min=9, salary_max=1), "opening: salary_max cannot be lower"),
    (dict(OPENING, salary_min=-1), "opening: salary_min must be a whole number"),
    (dict(OPENING, title="a\u0000b"), "opening: title must not contain NUL"),
    (dict(OPENING, title="x" * 201), "opening: title must be at most 200 characters"),
    (dict(OPENING, relocation_support="yes"), "opening: relocation_support must be true"),
    (dict(STARTUP, slug="otra"), 'organization: "vision" already names the organisation on line 1'),
    (dict(CHALLENGE, organization="vision"), "challenge: only government agencies"),
    (dict(PERSON, email="no-es-correo"), "profile: email is not a valid email address"),
    (dict(PERSON, email="ana@example.org"), None),
    (
        dict(PERSON, email="ANA@example.org"),
        "profile: email ana@example.org is already used on line 21",
    ),
    (
        dict(PERSON, email="existe@example.org"),
        "profile: an account with email existe@example.org already exists",
    ),
    (
        dict(PERSON, email="x@example.org", visibility="secret"),
        "profile: visibility must be one of",
    ),
    (
        dict(PERSON, email="y@example.org", country="US"),
        "profile: state is only for people living in Mexico",
    ),
    ({"type": "organization", "name": "Sin tipo"}, "organization: kind is required"),
    (
        dict(AGENCY, ref="", slug="vision-mx", name="Otra"),
        'organization: "vision-mx" already names',
    ),
    (dict(AGENCY, ref="dup", slug="ya-existe"), 'organization: slug "ya-existe" is already taken'),
    ({"type": "opening", "title": "Sin organización"}, "opening: organization is required"),
    (dict(OPENING, organization=7), "opening: organization must be a string"),
    (
        dict(PERSON, email="z@example.org", role="owner", organization=None),
        "profile: role needs an organization",
    ),
    (dict(OPENING, skills=42), "opening: skills must be a list of strings"),
    (dict(STARTUP, ref="r33", slug="Mayúsculas"), "organization: slug must be lower-case"),
    (dict(OPENING, title="\udc80"), "opening: title must be valid UTF-8 text"),
]


def test_every_error_is_reported_with_its_line_and_nothing_is_imported(
    app, runner, tmp_path, make_user
):
    make_user("existe@example.org")
    with app.app_context():
        factories.org(slug="ya-existe")
        before = row_counts()
    text = jsonl(*(line for line, _ in BAD_LINES))
    result = run_import(runner, tmp_path, text)
    assert result.exit_code == 1
    for number, (_, message) in enumerate(BAD_LINES, start=1):
        if message:
            assert f"line {number}: {message}" in result.output
    assert "line 1:" not in result.output and "line 21:" not in result.output
    assert result.output.count("line 27:") == 1  # one cause, one message
    assert "Nothing was imported" in result.output
    with app.app_context():
        assert row_counts() == before
        assert (
            db.session.scalar(select(AuditEvent).where(AuditEvent.action == "data.imported"))
            is None
        )


def test_errors_come_in_line_order_from_the_python_api(app):
    lines = jsonl(dict(OPENING, organization="nadie"), "nope", STARTUP).splitlines()
    with app.app_context(), pytest.raises(InvalidImport) as caught:
        import_lines(lines)
    assert [e.split(":")[0] for e in caught.value.errors] == ["line 1", "line 2"]


def test_dry_run_checks_but_writes_nothing(app, runner, tmp_path):
    with app.app_context():
        before = row_counts()
    result = run_import(runner, tmp_path, jsonl(STARTUP, AGENCY, OPENING, PERSON), "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        "Would import organizations: 2, profiles: 1, openings: 1, challenges: 0 (" in result.output
    )
    with app.app_context():
        assert row_counts() == before
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0
    bad = run_import(runner, tmp_path, jsonl(dict(OPENING, organization="nadie")), "--dry-run")
    assert bad.exit_code == 1 and "line 1: opening: organization" in bad.output


def test_a_two_thousand_line_file_imports(app, runner, tmp_path):
    bench = {"type": "organization", "ref": "bench", "name": "Bench", "kind": "company"}
    openings = [{"type": "opening", "organization": "bench", "title": f"Oficio {i}"}
                for i in range(1999)]  # fmt: skip
    result = run_import(runner, tmp_path, jsonl(bench, *openings), "--no-embed")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert row_counts()["Opening"] == 1999
        assert db.session.scalar(select(Opening.title).order_by(Opening.id.desc()).limit(1)) == (
            "Oficio 1998"
        )


def test_import_embeds_what_may_be_matched(app, runner, tmp_path):
    with app.app_context():
        models = len(service.engine().embedders)
    text = jsonl(STARTUP, OPENING, PERSON)  # the person's profile stays private
    result = run_import(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    assert f"Matching: indexed 2, embedded {2 * models}" in result.output
    with app.app_context():
        kinds = set(db.session.execute(select(Embedding.kind, Embedding.record_id)).all())
        opening_id = db.session.scalar(select(Opening.id))
        assert ("opening", opening_id) in kinds
        assert ("organization", by_slug("vision-mx").id) in kinds
        assert not any(kind == "profile" for kind, _ in kinds)


# --- export --------------------------------------------------------------------------------


def export(runner: Any, *options: str) -> tuple[Any, list[dict[str, Any]]]:
    result = runner.invoke(args=["export", *options])
    assert result.exit_code == 0, result.output
    return result, [json.loads(line) for line in result.stdout.splitlines()]


def wipe() -> None:
    """Empty the tables as the autouse fixture does, to import into a fresh directory."""
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in KEEP_TABLES:
                conn.execute(table.delete())


def seed_directory() -> None:
    owner = factories.user("duena@example.org", locale="en")
    startup = factories.org(owner, kind="startup", size="11-50", chamber_member=True)
    agency = factories.org(kind="government_agency", status="pending")
    factories.opening(startup, remote_policy="remote", relocation_support=True,
                      salary_min=1000, salary_max=2000)  # fmt: skip
    factories.opening(startup, status="archived", closes_on=date(2020, 1, 1))
    factories.challenge(agency, budget_max=500_000)
    factories.profile(owner, phone="+52 55 PHONE-MARKER", languages=["es", "en"],
                      open_to=["jobs"], links=["https://ana.example.org"],
                      free_skills=["Cobol"], available_from=date(2030, 1, 1))  # fmt: skip
    factories.profile(factories.user("miembros@example.org"), visibility="members",
                      country_code="US", state_code=None, diaspora_status="abroad")  # fmt: skip
    factories.profile(factories.user("privada@example.org"), visibility="private",
                      full_name="PRIVATE-MARKER")  # fmt: skip
    factories.profile(factories.user("baja@example.org", active=False), full_name="GONE-MARKER")


def test_export_then_import_into_an_empty_directory_reproduces_the_records(app, runner):
    with app.app_context():
        seed_directory()
    _, first = export(runner, "--with-emails")
    assert [line["type"] for line in first].count("profile") == 2
    with app.app_context():
        wipe()
    text = "\n".join(json.dumps(line) for line in first)
    with app.app_context():
        report = import_lines(text.splitlines(), embed=False)
        assert report.counts == {"organization": 2, "profile": 2, "opening": 2, "challenge": 1}
        owner = db.session.scalar(select(User).where(User.email == "duena@example.org"))
        assert owner.locale == "en" and owner.memberships[0].role == "owner"
    _, second = export(runner, "--with-emails")
    assert second == first


def test_export_never_contains_phones_private_profiles_or_emails_by_default(app, runner):
    with app.app_context():
        seed_directory()
    result, lines = export(runner)
    text = result.stdout
    for secret in ("PHONE-MARKER", "PRIVATE-MARKER", "GONE-MARKER", "@example.org", "phone"):
        assert secret not in text
    assert "Exported organizations: 2, profiles: 2, openings: 2, challenges: 1." in result.output
    profiles = [line for line in lines if line["type"] == "profile"]
    assert {p["visibility"] for p in profiles} == {"public", "members"}
    assert not any("organizations" in p or "locale" in p for p in profiles)
    full, _ = export(runner, "--with-emails")
    assert "duena@example.org" in full.stdout and "PHONE-MARKER" not in full.stdout
    assert "privada@example.org" not in full.stdout and "baja@example.org" not in full.stdout
    with app.app_context():
        events = list(
            db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "data.exported")
                .order_by(AuditEvent.id)
            )
        )
        assert [e.details["with_emails"] for e in events] == [False, True]
        assert events[0].details["profile"] == 2


def test_export_of_one_type_to_a_file(app, runner, tmp_path):
    with app.app_context():
        seed_directory()
    path = tmp_path / "out.jsonl"
    result = runner.invoke(args=["export", "--type", "opening", "--output", str(path)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    assert [line["type"] for line in lines] == ["opening", "opening"]
    assert lines[0]["skills"] == ["machine-learning", "python"]
    assert lines[0]["remote_policy"] == "remote" and lines[1]["closes_on"] == "2020-01-01"


def test_a_byte_order_mark_is_fine_and_bad_bytes_are_reported(app, runner, tmp_path):
    path = tmp_path / "bytes.jsonl"
    good = json.dumps(STARTUP).encode()
    bad = b'{"type": "opening", "organization": "vision", "title": "caf\xe9"}'
    path.write_bytes(b"\xef\xbb\xbf" + good + b"\n" + bad + b"\n")
    result = runner.invoke(args=["import", str(path), "--no-embed"])
    assert result.exit_code == 1
    assert "line 2: opening: title must be valid UTF-8 text" in result.output
    assert "line 1" not in result.output
    path.write_bytes(b"\xef\xbb\xbf" + good + b"\n")
    assert runner.invoke(args=["import", str(path), "--no-embed"]).exit_code == 0


def test_skills_outside_the_vocabulary_are_kept_as_free_text_on_posts(app, runner, tmp_path):
    """Never an import error on openings and challenges: kept apart, as the forms do."""
    lines = [
        {"type": "organization", "ref": "agro", "name": "Agro Datos", "kind": "company"},
        {"type": "opening", "organization": "agro", "title": "Analista agrícola",
         "skills": ["Python", "conteo de chapulines"], "min_degree": "master",
         "residence": "mexico", "required_languages": ["es"], "sponsors_work_permit": True},
        {"type": "challenge", "organization": "agro", "title": "Plagas del maíz",
         "skills": "Computer vision, nopalitos hidropónicos", "eligibility": ["startups"]},
    ]  # fmt: skip
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), "utf-8")
    result = runner.invoke(args=["import", str(path), "--no-embed"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        opening = db.session.scalar(select(Opening))
        challenge = db.session.scalar(select(Challenge))
        assert [s.slug for s in opening.skills] == ["python"]
        assert opening.free_skills == ["conteo de chapulines"]
        assert (opening.min_degree, opening.residence) == ("master", "mexico")
        assert opening.required_languages == ["es"] and opening.sponsors_work_permit
        assert challenge.free_skills == ["nopalitos hidropónicos"]
