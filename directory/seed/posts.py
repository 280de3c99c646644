"""Demo openings and the shared sentences that complete their descriptions."""

from __future__ import annotations

from .records import OpeningSeed as O

# fmt: off
OPENINGS: tuple[O, ...] = (
    O("xoco-vision", "Ingeniera/o de visión por computadora para inspección industrial", "job",
      "senior", "hybrid", "computer-vision object-detection pytorch edge-ai onnx",
      "Diseñarás modelos de detección de defectos que corren en cámaras industriales. "
      "Trabajarás con el equipo de planta para etiquetar datos y medir falsos rechazos.",
      relocation=True),
    O("xoco-vision", "Becario de etiquetado y evaluación de datos", "internship", "junior",
      "onsite", "data-annotation computer-vision python",
      "Apoyarás la curación de conjuntos de imágenes y la evaluación de modelos. "
      "Aprenderás el ciclo completo de un producto de visión."),
    O("milpa-analytics", "Científica/o de datos geoespaciales", "job", "mid", "hybrid",
      "geospatial-ai gis-tools time-series-forecasting python",
      "Construirás modelos de rendimiento de cultivos con imágenes Sentinel y datos de "
      "estaciones. Presentarás resultados a productores y aseguradoras."),
    O("milpa-analytics", "Remote sensing ML engineer", "job", "senior", "remote",
      "geospatial-ai deep-learning pytorch image-segmentation",
      "You will own our field-segmentation pipeline from raw imagery to API. "
      "We are a Spanish-speaking team and welcome people from the diaspora.", "en", True),
    O("tlali-labs", "Ingeniera/o de LLM para búsqueda jurídica", "job", "senior", "remote",
      "large-language-models retrieval-augmented-generation python semantic-search legal-ai",
      "Mejorarás la recuperación y citación de fuentes en nuestro asistente jurídico. "
      "Diseñarás evaluaciones con abogadas y abogados para medir exactitud."),
    O("tlali-labs", "Lingüista computacional (medio tiempo)", "job", "mid", "remote",
      "natural-language-processing named-entity-recognition text-classification",
      "Anotarás y normalizarás entidades en sentencias y leyes. "
      "Ayudarás a definir guías de anotación y métricas de calidad."),
    O("kaab-health", "Investigador/a en imagen médica", "research_position", "senior",
      "onsite", "medical-imaging deep-learning ai-health pytorch model-evaluation",
      "Liderarás la validación clínica de nuestro modelo de retinopatía con hospitales del "
      "sureste. Publicarás resultados con coautores clínicos.", relocation=True),
    O("kaab-health", "Desarrollador/a backend para plataforma clínica", "job", "mid", "hybrid",
      "fastapi postgresql docker software-engineering",
      "Mantendrás la API que recibe imágenes de clínicas y entrega resultados. "
      "Cuidarás la privacidad y trazabilidad de los datos de pacientes."),
    O("norte-ml", "Predictive maintenance data scientist", "job", "mid", "hybrid",
      "predictive-analytics anomaly-detection signal-processing python",
      "You will model vibration and temperature signals from heavy industry. "
      "Field visits to plants in Nuevo León and Coahuila are part of the job.", "en", True),
    O("norte-ml", "Ingeniera/o de MLOps", "job", "senior", "hybrid",
      "mlops kubernetes mlflow docker aws",
      "Automatizarás el entrenamiento y despliegue de decenas de modelos por cliente. "
      "Definirás monitoreo de deriva y alertas."),
    O("quetzal-nlp", "Beca de investigación en traducción náhuatl–español", "fellowship",
      "junior", "remote", "machine-translation ai-indigenous-languages transformers",
      "Construirás modelos de traducción con corpus paralelos comunitarios. "
      "La beca incluye acompañamiento de hablantes y lingüistas."),
    O("ruta-datos", "Investigador/a de operaciones", "job", "mid", "onsite",
      "operations-research python ai-logistics",
      "Mejorarás nuestro motor de ruteo con restricciones reales de flotas mexicanas. "
      "Medirás ahorros con pruebas en campo."),
    O("ruta-datos", "Product manager de IA logística", "job", "senior", "hybrid",
      "ai-product-management ai-logistics ab-testing",
      "Definirás la hoja de ruta de pronóstico de demanda y ruteo. "
      "Coordinarás a ingeniería, ventas y clientes piloto."),
    O("ballena-robotics", "Robotics engineer (underwater drones)", "job", "mid", "onsite",
      "robotics ros computer-vision edge-ai",
      "You will integrate sensors and vision on our reef-monitoring drones. "
      "Expect time at sea in the Gulf of California.", "en", True),
    O("sonora-solar-ai", "Científica/o de datos para pronóstico solar", "job", "mid", "remote",
      "time-series-forecasting ai-energy python lightgbm",
      "Pronosticarás generación fotovoltaica a varios horizontes. "
      "Integrarás pronósticos meteorológicos y telemetría de planta."),
    O("fintli", "Científica/o de datos de riesgo crediticio", "job", "senior", "hybrid",
      "ai-finance gradient-boosting fairness-bias-mitigation sql python",
      "Desarrollarás modelos de riesgo para comercios con poco historial. "
      "Participarás en las auditorías trimestrales de sesgo.", relocation=True),
    O("fintli", "Ingeniera/o de detección de fraude en tiempo real", "job", "lead", "hybrid",
      "fraud-detection anomaly-detection apache-kafka mlops",
      "Liderarás el sistema que decide en milisegundos si una transacción es sospechosa. "
      "Mentorearás a un equipo de cuatro personas."),
    O("fintli", "Prácticas profesionales en ciencia de datos", "internship", "junior",
      "hybrid", "python sql data-analysis",
      "Analizarás cohortes de clientes y apoyarás experimentos de producto. "
      "Buscamos estudiantes de últimos semestres."),
    O("grupo-datamex", "Consultor/a senior de MLOps", "job", "senior", "hybrid",
      "mlops azure-machine-learning databricks terraform",
      "Implementarás plataformas de modelos para bancos y cadenas comerciales. "
      "Harás diagnóstico de madurez y acompañarás la adopción."),
    O("grupo-datamex", "Data engineer", "job", "mid", "remote",
      "data-engineering dbt snowflake apache-airflow sql",
      "You will build pipelines feeding demand forecasting models for retail clients. "
      "Our clients are in Mexico; the team works in Spanish and English.", "en"),
    O("grupo-datamex", "Líder de práctica de IA generativa", "job", "lead", "hybrid",
      "generative-ai large-language-models retrieval-augmented-generation ai-strategy",
      "Armarás la oferta de asistentes internos y búsqueda semántica para clientes. "
      "Definirás criterios de evaluación y seguridad.", relocation=True),
    O("bajio-industrial-ai", "Ingeniera/o de integración de visión y robótica", "job", "mid",
      "onsite", "computer-vision robotics ai-manufacturing opencv",
      "Pondrás en marcha celdas de inspección en plantas automotrices. "
      "Trabajarás con PLC, cámaras y modelos de detección."),
    O("seguros-atlas-digital", "Especialista en procesamiento inteligente de documentos",
      "job", "senior", "hybrid",
      "intelligent-document-processing optical-character-recognition large-language-models",
      "Automatizarás la lectura de facturas y reportes médicos en reclamaciones. "
      "Medirás precisión por tipo de documento."),
    O("seguros-atlas-digital", "Científica/o de datos actuarial", "job", "mid", "onsite",
      "ai-insurance survival-analysis statistical-modeling r",
      "Modelarás siniestralidad con métodos estadísticos y de aprendizaje automático. "
      "Colaborarás con el área actuarial."),
    O("telcomex-labs", "NLP engineer for Spanish customer assistants", "job", "senior",
      "hybrid", "conversational-ai large-language-models fine-tuning vllm",
      "You will fine-tune and serve assistants that answer millions of customers in "
      "Spanish. Latency and safety matter as much as accuracy.", "en", True),
    O("telcomex-labs", "Analista de anomalías de red", "job", "junior", "onsite",
      "anomaly-detection time-series-forecasting python ai-telecom",
      "Detectarás fallas de red antes de que las noten los usuarios. "
      "Trabajarás con ingenieros de operación de red."),
    O("agroindustrias-del-valle", "Analista de pronóstico de cosechas", "job", "mid",
      "onsite", "ai-agriculture time-series-forecasting python",
      "Pronosticarás volúmenes de cosecha para planear empaque y exportación. "
      "Harás recorridos en campos de Sinaloa."),
    O("energia-peninsular", "Ingeniera/o de pronóstico de demanda eléctrica", "job", "mid",
      "hybrid", "ai-energy time-series-forecasting ai-climate python",
      "Pronosticarás demanda y generación de microrredes en hoteles. "
      "Optimizarás el despacho de baterías."),
    O("oaxaca-software", "Desarrollador/a de herramientas multilingües", "job", "mid",
      "remote", "software-engineering machine-translation ai-indigenous-languages",
      "Construirás aplicaciones que sirven información municipal en zapoteco, mixteco y "
      "español. Trabajarás con traductores de la región."),
    O("chihuahua-datalab", "Ingeniera/o de visión para logística fronteriza", "job", "mid",
      "onsite", "computer-vision object-detection ai-logistics",
      "Medirás tiempos de espera y carga en patios de maquiladoras. "
      "Desplegarás modelos en equipos de borde."),
    O("cimat", "Posdoctorado en aprendizaje estadístico", "research_position", "mid",
      "onsite", "statistical-modeling bayesian-inference machine-learning ai-research",
      "Posición posdoctoral para trabajar en métodos bayesianos para datos de alta dimensión. "
      "Se espera colaboración con estudiantes de posgrado.", relocation=True),
    O("cimat", "Estancia de verano en ciencia de datos", "internship", "junior", "onsite",
      "data-science python machine-learning",
      "Estancia para estudiantes de licenciatura en proyectos con industria del Bajío. "
      "Incluye apoyo de manutención."),
    O("inaoe", "Investigador/a en procesamiento de lenguaje natural", "research_position",
      "senior", "onsite", "natural-language-processing transformers ai-research",
      "Plaza de investigación para fortalecer la línea de lenguaje natural en español. "
      "Incluye docencia en el posgrado en ciencias computacionales.", relocation=True),
    O("inaoe", "Beca posdoctoral en visión y óptica computacional", "fellowship", "mid",
      "onsite", "computer-vision signal-processing deep-learning",
      "Beca para investigar reconstrucción de imágenes con redes profundas. "
      "Se colabora con los grupos de óptica y de computación."),
    O("cinvestav", "Postdoctoral researcher in robot learning", "research_position", "mid",
      "onsite", "robotics reinforcement-learning ros",
      "Research position on learning-based control for mobile manipulators. "
      "Candidates returning from abroad are encouraged to apply.", "en", True),
    O("cicese", "Research engineer, ocean data and ML", "research_position", "mid",
      "onsite", "ai-environment time-series-forecasting geospatial-ai python",
      "You will build models on oceanographic time series and satellite data. "
      "Ensenada offers a strong scientific community by the sea.", "en", True),
    O("infotec", "Docente de ciencia de datos", "job", "senior", "hybrid",
      "ai-teaching data-science machine-learning",
      "Impartirás cursos del posgrado en ciencia de datos. "
      "Dirigirás proyectos terminales con instituciones públicas."),
    O("centrogeo", "Beca de maestría en IA geoespacial", "fellowship", "junior", "onsite",
      "geospatial-ai gis-tools python",
      "Beca para integrarse a proyectos de análisis territorial con aprendizaje automático. "
      "Se ofrece dirección de tesis."),
    O("cidesi", "Ingeniera/o de investigación en manufactura inteligente", "research_position",
      "mid", "onsite", "ai-manufacturing computer-vision predictive-analytics",
      "Desarrollarás proyectos de automatización con empresas del sector aeroespacial. "
      "Se valora experiencia en sensores y control."),
    O("iimas-unam", "Técnico académico en tecnologías del habla", "research_position", "mid",
      "onsite", "speech-recognition speech-synthesis audio-processing",
      "Apoyarás proyectos de reconocimiento de voz en español y lenguas originarias. "
      "Mantendrás la infraestructura de cómputo del grupo."),
    O("tec-de-monterrey", "Profesor/a investigador/a en inteligencia artificial",
      "research_position", "senior", "onsite", "artificial-intelligence ai-research ai-teaching",
      "Plaza de profesor investigador en la escuela de ingeniería y ciencias. "
      "Se espera investigación publicada y vinculación con industria.", relocation=True),
    O("udg", "Becas de doctorado en ciencias computacionales", "fellowship", "junior",
      "onsite", "machine-learning ai-research python",
      "Apoyo para estudiantes de doctorado con proyectos en aprendizaje automático. "
      "Los proyectos se vinculan con el ecosistema de Guadalajara."),
    O("cic-ipn", "Investigador/a en redes neuronales", "research_position", "mid", "onsite",
      "neural-networks deep-learning ai-research",
      "Plaza para investigación en arquitecturas neuronales eficientes. "
      "Incluye dirección de tesis de maestría."),
    O("uady", "Profesor/a de ciencia de datos", "job", "mid", "onsite",
      "data-science ai-teaching statistical-modeling",
      "Impartirás cursos de licenciatura y maestría en Mérida. "
      "Se valora experiencia en proyectos con el sector salud de la región.", relocation=True),
    O("cacao-ai", "Ingeniera/o móvil de visión por computadora", "job", "mid", "remote",
      "computer-vision model-compression edge-ai",
      "Llevarás modelos de diagnóstico de plantas a teléfonos de gama baja. "
      "Trabajarás con cooperativas sin conexión estable."),
)
# fmt: on

# Sentences by opening kind, in each language: (Spanish options, English options).
KIND_SNIPPETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "job": (
        ("Ofrecemos prestaciones superiores a las de ley y presupuesto de formación.",
         "Valoramos la experiencia práctica por encima de los títulos."),
        ("We offer benefits above the legal minimum and a training budget.",
         "We value practical experience over degrees."),
    ),
    "internship": (
        ("La práctica dura seis meses, con apoyo económico y posibilidad de contratación.",),
        ("The internship lasts six months, is paid and may lead to a job.",),
    ),
    "fellowship": (
        ("La beca es por doce meses y puede renovarse una vez.",),
        ("The fellowship lasts twelve months and can be renewed once.",),
    ),
    "research_position": (
        ("La posición incluye acceso a cómputo de alto rendimiento y apoyo para congresos.",),
        ("The position includes HPC access and conference travel support.",),
    ),
}  # fmt: skip

RELOCATION_SNIPPET = (
    "Apoyamos la mudanza de quienes regresan a México desde el extranjero.",
    "We support relocation for people moving back to Mexico from abroad.",
)
REMOTE_SNIPPET = (
    "El trabajo es remoto desde cualquier parte de México.",
    "The role is remote from anywhere in Mexico.",
)
