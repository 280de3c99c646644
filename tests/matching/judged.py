"""Person/opening pairs judged by hand (engineer H2, issue 16): what the displayed fit must
say about each. They fix the calibration anchors of matching/ranking.py (FIT_ANCHORS) and
tests/matching/test_calibration.py checks that the real models still agree.

Judgements: "strong" (I would apply/hire today), "good" (worth a look, a gap or two),
"partial" (related field, real gaps), "poor" (not for this person).
"""

from __future__ import annotations

from typing import Any

Pair = tuple[str, dict[str, Any], dict[str, Any]]

_VISION = {
    "headline": "Ingeniera de visión por computadora para manufactura",
    "bio": "Cinco años construyendo modelos de detección de defectos en líneas de producción "
    "con PyTorch y cámaras industriales en Monterrey.",
    "state_code": "NLE",
    "seniority": "senior",
    "skill_slugs": ("computer-vision", "deep-learning", "python", "mlops"),
}
_NLP = {
    "headline": "Científica de datos en procesamiento de lenguaje natural",
    "bio": "Clasificación de textos legales y extracción de información en español.",
    "state_code": "CMX",
    "seniority": "mid",
    "skill_slugs": ("natural-language-processing", "python", "large-language-models"),
}
_ANALYST = {
    "headline": "Analista de datos de ventas",
    "bio": "Tableros e informes de ventas para una cadena de tiendas.",
    "state_code": "YUC",
    "seniority": "junior",
    "skill_slugs": ("data-science",),
}

PAIRS: list[Pair] = [
    (
        "strong",
        _VISION,
        {
            "title": "Ingeniería de visión por computadora para detección de defectos",
            "description": "Modelos de detección de defectos en líneas de producción con "
            "PyTorch y cámaras industriales.",
            "state_code": "NLE",
            "seniority": "senior",
            "skill_slugs": ("computer-vision", "deep-learning", "python", "mlops"),
        },
    ),
    (
        "strong",
        _NLP,
        {
            "title": "Científica de datos de lenguaje natural para textos legales",
            "description": "Clasificación de documentos legales y extracción de información "
            "en español con modelos de lenguaje.",
            "state_code": "CMX",
            "seniority": "mid",
            "skill_slugs": ("natural-language-processing", "python", "large-language-models"),
        },
    ),
    (
        "good",
        _VISION,
        {
            "title": "Ingeniería de aprendizaje profundo para inspección visual",
            "description": "Inspección visual automática de piezas automotrices.",
            "state_code": "COA",
            "seniority": "senior",
            "skill_slugs": ("computer-vision", "deep-learning", "python", "edge-ai"),
        },
    ),
    (
        "good",
        _NLP,
        {
            "title": "Ingeniería de asistentes conversacionales",
            "description": "Asistentes conversacionales para atención a clientes de un banco.",
            "state_code": "CMX",
            "seniority": "mid",
            "remote_policy": "hybrid",
            "skill_slugs": ("conversational-ai", "large-language-models", "python"),
        },
    ),
    (
        "partial",
        _VISION,
        {
            "title": "Ingeniería de MLOps para modelos de crédito",
            "description": "Despliegue y monitoreo de modelos de riesgo de crédito.",
            "state_code": "JAL",
            "seniority": "mid",
            "skill_slugs": ("mlops", "python", "predictive-analytics", "data-science"),
        },
    ),
    (
        "partial",
        _NLP,
        {
            "title": "Científica de datos para pronóstico de demanda",
            "description": "Pronóstico de demanda de productos en tiendas.",
            "state_code": "CMX",
            "seniority": "senior",
            "skill_slugs": ("predictive-analytics", "python", "data-science"),
        },
    ),
    (
        "poor",
        _ANALYST,
        {
            "title": "Investigación en robótica autónoma",
            "description": "Control y planeación de robots móviles en exteriores.",
            "state_code": "BCN",
            "seniority": "lead",
            "skill_slugs": ("robotics", "reinforcement-learning", "autonomous-systems"),
        },
    ),
    (
        "poor",
        _NLP,
        {
            "title": "Ingeniería de hardware para aceleradores de IA",
            "description": "Diseño de circuitos para inferencia en dispositivos.",
            "state_code": "JAL",
            "seniority": "lead",
            "skill_slugs": ("ai-hardware", "neuromorphic-computing", "edge-ai"),
        },
    ),
    (
        "strong",
        {
            "headline": "Machine learning engineer, computer vision for manufacturing",
            "bio": "I build defect detection models for production lines with PyTorch.",
            "state_code": "NLE",
            "seniority": "senior",
            "skill_slugs": ("computer-vision", "deep-learning", "python"),
        },
        {
            "title": "Ingeniería de visión artificial para control de calidad",
            "description": "Detección de defectos en la línea de producción con aprendizaje "
            "profundo.",
            "state_code": "NLE",
            "seniority": "senior",
            "skill_slugs": ("computer-vision", "deep-learning", "python"),
        },
    ),
    (
        "good",
        _NLP,
        {
            "title": "Ingeniería de modelos de lenguaje para gobierno",
            "description": "Búsqueda y resumen de documentos públicos con modelos de lenguaje.",
            "state_code": "JAL",
            "remote_policy": "remote",
            "seniority": "senior",
            "skill_slugs": ("large-language-models", "information-retrieval", "python"),
        },
    ),
    (
        "partial",
        _ANALYST,
        {
            "title": "Científica de datos para pronóstico de ventas",
            "description": "Modelos de pronóstico de ventas con aprendizaje automático.",
            "state_code": "YUC",
            "seniority": "mid",
            "skill_slugs": ("data-science", "machine-learning", "predictive-analytics", "python"),
        },
    ),
]
