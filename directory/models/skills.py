"""The bilingual skills vocabulary and the association tables that use it."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Skill(db.Model):
    """A skill or AI area with a Spanish and an English label and synonyms."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    label_es: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(20), index=True)
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list)

    def label(self, locale: str) -> str:
        """Return the label in the given locale, Spanish by default."""
        return self.label_en if locale == "en" else self.label_es

    def __repr__(self) -> str:
        return f"<Skill {self.slug}>"


def _link_table(name: str, owner_table: str, owner_col: str) -> Table:
    """Build a many-to-many table between a record and skills."""
    return Table(
        name,
        db.metadata,
        Column(
            owner_col,
            ForeignKey(f"{owner_table}.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("skill_id", ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True),
    )


profile_skills = _link_table("profile_skills", "profiles", "profile_id")
organization_skills = _link_table("organization_skills", "organizations", "organization_id")
opening_skills = _link_table("opening_skills", "openings", "opening_id")
challenge_skills = _link_table("challenge_skills", "challenges", "challenge_id")
