"""Duplicate detection speed at 10,000 organisations, and how many planted copies it finds.

Synthetic organisations (names from word lists, one website each) go into a temporary
SQLite database with a stored 384-dimension vector each (random points around 200 topic
centres, not model output: the cost depends on the count and the dimension). Then
--copies of them are copied with a legal suffix, accents dropped, or the same website,
and a few more get a near-identical vector under an unrelated name.

Printed: the time of `find_pairs("organization")` on the first visit of a process (it
reads every vector and compares all of them) and on later visits (only changed vectors are
compared again), the time of a visit after one record changed, and the share of planted
copies found.

    .venv/bin/python bench/duplicates_speed.py [--size 10000] [--copies 200]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from sqlalchemy import insert, update  # noqa: E402

from directory import create_app  # noqa: E402
from directory.extensions import db  # noqa: E402
from directory.models import Embedding, Organization  # noqa: E402
from directory.services import duplicates  # noqa: E402

FIRST = [
    "Grupo",
    "Centro",
    "Laboratorio",
    "Instituto",
    "Soluciones",
    "Datos",
    "Visión",
    "Robótica",
    "Analítica",
    "Sistemas",
    "Innovación",
    "Tecnologías",
    "Red",
    "Agencia",
]
SECOND = [
    "Quetzal",
    "Jaguar",
    "Ballena",
    "Maya",
    "Norte",
    "Bajío",
    "Pacífico",
    "Sierra",
    "Volcán",
    "Colibrí",
    "Ajolote",
    "Nopal",
    "Cenote",
    "Tule",
    "Huasteca",
    "Mixteca",
]
THIRD = [
    "IA",
    "Digital",
    "Labs",
    "Cognitiva",
    "Inteligente",
    "Aplicada",
    "Abierta",
    "360",
    "Neural",
    "Cuántica",
    "Predictiva",
    "Semántica",
    "Autónoma",
    "Visual",
]


def _name(rng: random.Random, n: int) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(SECOND)} {rng.choice(THIRD)} {n:05d}"


def main() -> None:
    """Seed, plant copies, and time the duplicate finder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--copies", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(7)
    nprng = np.random.default_rng(7)
    tmp = tempfile.mkdtemp()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
                      "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123"})  # fmt: skip
    with app.app_context():
        db.create_all()
        rows = [
            {"slug": f"org-{n}", "name": _name(rng, n), "kind": "startup", "status": "published",
             "website": f"https://org{n}.example.mx", "sectors": [], "description": ""}
            for n in range(args.size)
        ]  # fmt: skip
        db.session.execute(insert(Organization), rows)
        centres = nprng.normal(size=(200, 384)).astype(np.float32)
        vectors = centres[nprng.integers(0, 200, args.size)] + nprng.normal(
            scale=0.8, size=(args.size, 384)
        ).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        db.session.execute(insert(Embedding), [
            {"kind": "organization", "record_id": n + 1, "model_name": "bench", "text_hash": "h",
             "dim": 384, "vector": vectors[n].tobytes()}
            for n in range(args.size)
        ])  # fmt: skip
        planted: set[frozenset[int]] = set()
        for c in range(args.copies):
            original = rng.randrange(args.size)
            copy_id = args.size + c + 1
            style = c % 4
            name = rows[original]["name"]
            website = f"https://copy{c}.example.mx"
            vector = nprng.normal(size=384).astype(np.float32)
            if style == 0:
                name += " S.A. de C.V."
            elif style == 1:
                name = name.upper().replace("Í", "I").replace("Ó", "O").replace("Á", "A")
            elif style == 2:
                name, website = f"Otra Empresa {c}", rows[original]["website"]
            else:
                name = f"Nombre Sin Relación {c}"
                vector = vectors[original] + nprng.normal(scale=0.01, size=384)
            db.session.execute(insert(Organization), [{
                "slug": f"copy-{c}", "name": name, "kind": "startup", "status": "pending",
                "website": website, "sectors": [], "description": ""}])  # fmt: skip
            vector = (vector / np.linalg.norm(vector)).astype(np.float32)
            db.session.execute(insert(Embedding), [{
                "kind": "organization", "record_id": copy_id, "model_name": "bench",
                "text_hash": "h", "dim": 384, "vector": vector.tobytes()}])  # fmt: skip
            planted.add(frozenset((original + 1, copy_id)))
        db.session.commit()

        timings = []
        for _visit in range(3):
            started = time.perf_counter()
            pairs = duplicates.find_pairs("organization")
            timings.append(time.perf_counter() - started)
        db.session.execute(
            update(Embedding).where(Embedding.record_id == 1).values(text_hash="changed")
        )
        db.session.commit()
        started = time.perf_counter()
        duplicates.find_pairs("organization")
        after_change = time.perf_counter() - started
        found = {frozenset((p.left_id, p.right_id)) for p in pairs}
        print(f"organisations: {args.size + args.copies:,}, planted copies: {len(planted)}")
        print(f"first visit: {timings[0]:.2f} s; later visits: {timings[1]:.3f} s, "
              f"{timings[2]:.3f} s; after one change: {after_change:.3f} s")  # fmt: skip
        print(f"pairs shown: {len(pairs)}; planted copies found: "
              f"{len(found & planted)}/{len(planted)}")  # fmt: skip


if __name__ == "__main__":
    main()
