"""Word lists for the 120 fictional demo people: names, places, headlines and bios."""

from __future__ import annotations

from typing import NamedTuple

FEMALE_NAMES: tuple[str, ...] = (
    "María Fernanda", "Ximena", "Valeria", "Daniela", "Sofía", "Guadalupe", "Ana Karen",
    "Itzel", "Mariana", "Andrea", "Citlali", "Paola", "Renata", "Lucía", "Alejandra",
    "Fernanda", "Gabriela", "Jimena", "Montserrat", "Araceli", "Yaretzi", "Natalia",
    "Karla", "Elena", "Rocío", "Tania", "Diana", "Verónica", "Regina", "Abril",
)  # fmt: skip

MALE_NAMES: tuple[str, ...] = (
    "José Luis", "Santiago", "Diego", "Emiliano", "Juan Carlos", "Alejandro", "Luis Ángel",
    "Carlos", "Jorge", "Iván", "Miguel Ángel", "Ricardo", "Fernando", "Eduardo", "Rodrigo",
    "Arturo", "Héctor", "Óscar", "Rafael", "Tonatiuh", "Mauricio", "Gerardo", "Raúl",
    "Sebastián", "Andrés", "Pablo", "Cuauhtémoc", "Leonardo", "Ulises", "Joaquín",
)  # fmt: skip

SURNAMES: tuple[str, ...] = (
    "Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez",
    "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes", "Jiménez", "Torres",
    "Díaz", "Gutiérrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz", "Moreno", "Castillo",
    "Romero", "Álvarez", "Méndez", "Chávez", "Rivera", "Juárez", "Ramos", "Domínguez",
    "Herrera", "Medina", "Castro", "Vargas", "Guzmán", "Velázquez", "Salazar", "Cervantes",
    "Ku", "Canché", "Pech", "Tzuc", "Xicoténcatl", "Olvera", "Zamora", "Villarreal", "Garza",
)  # fmt: skip

# Where local people live: (state code, city, weight); the big hubs weigh most.
LOCAL_PLACES: tuple[tuple[str, str, int], ...] = (
    ("CMX", "Ciudad de México", 14), ("JAL", "Guadalajara", 6), ("JAL", "Zapopan", 3),
    ("NLE", "Monterrey", 6), ("NLE", "San Pedro Garza García", 2), ("QUE", "Querétaro", 5),
    ("PUE", "Puebla", 3), ("PUE", "San Andrés Cholula", 2), ("GUA", "León", 3),
    ("GUA", "Guanajuato", 2), ("YUC", "Mérida", 5), ("BCN", "Tijuana", 1),
    ("BCN", "Ensenada", 1), ("AGU", "Aguascalientes", 1), ("SON", "Hermosillo", 1),
    ("CHH", "Chihuahua", 1), ("OAX", "Oaxaca de Juárez", 1), ("VER", "Xalapa", 1),
    ("SLP", "San Luis Potosí", 1), ("MIC", "Morelia", 1), ("COA", "Saltillo", 1),
    ("MOR", "Cuernavaca", 1), ("SIN", "Culiacán", 1), ("HID", "Pachuca", 1),
    ("CHP", "Tuxtla Gutiérrez", 1), ("ROO", "Cancún", 1), ("TAM", "Tampico", 1),
    ("MEX", "Toluca", 1), ("ZAC", "Zacatecas", 1),
)  # fmt: skip

# Where the diaspora lives: (country code, city, extra language spoken).
ABROAD_PLACES: tuple[tuple[str, str, str], ...] = (
    ("US", "San Francisco", ""), ("US", "Austin", ""), ("US", "Seattle", ""),
    ("US", "Boston", ""), ("US", "Nueva York", ""), ("CA", "Montreal", "fr"),
    ("CA", "Toronto", ""), ("ES", "Barcelona", ""), ("ES", "Madrid", ""),
    ("DE", "Berlín", "de"), ("DE", "Múnich", "de"), ("GB", "Londres", ""),
    ("GB", "Edimburgo", ""), ("FR", "París", "fr"), ("NL", "Ámsterdam", "nl"),
    ("CH", "Zúrich", "de"), ("CL", "Santiago", ""), ("BR", "São Paulo", "pt"),
    ("AU", "Melbourne", ""), ("JP", "Tokio", "ja"),
)  # fmt: skip


class Track(NamedTuple):
    """A specialty: how it reads in each language and which vocabulary skills fit it."""

    es: str
    en: str
    skills: str


TRACKS: tuple[Track, ...] = (
    Track("visión por computadora", "computer vision",
          "computer-vision object-detection image-segmentation pytorch opencv deep-learning "
          "convolutional-neural-networks edge-ai"),
    Track("procesamiento de lenguaje natural", "natural language processing",
          "natural-language-processing large-language-models transformers hugging-face "
          "retrieval-augmented-generation named-entity-recognition text-classification python"),
    Track("modelos predictivos", "predictive modelling",
          "machine-learning scikit-learn gradient-boosting xgboost feature-engineering python "
          "sql pandas"),
    Track("MLOps e infraestructura de modelos", "MLOps and model infrastructure",
          "mlops kubernetes docker mlflow aws ml-engineering apache-airflow python"),
    Track("IA para la salud", "AI for health",
          "ai-health medical-imaging deep-learning survival-analysis pytorch bioinformatics"),
    Track("IA para el campo", "AI for agriculture",
          "ai-agriculture geospatial-ai gis-tools time-series-forecasting python r"),
    Track("pronóstico de series de tiempo", "time-series forecasting",
          "time-series-forecasting predictive-analytics statistical-modeling python r "
          "bayesian-inference"),
    Track("IA generativa", "generative AI",
          "generative-ai large-language-models prompt-engineering fine-tuning langchain "
          "vector-databases rlhf"),
    Track("ética y gobernanza de la IA", "AI ethics and governance",
          "ai-ethics responsible-ai ai-governance ai-policy fairness-bias-mitigation "
          "responsible-ai-audits"),
    Track("lenguas indígenas y traducción automática", "indigenous languages and MT",
          "ai-indigenous-languages machine-translation speech-recognition transformers "
          "natural-language-processing"),
    Track("finanzas y detección de fraude", "finance and fraud detection",
          "ai-finance fraud-detection anomaly-detection gradient-boosting sql python"),
    Track("robótica", "robotics",
          "robotics reinforcement-learning ros computer-vision automated-planning"),
    Track("ingeniería de datos", "data engineering",
          "data-engineering apache-spark dbt sql apache-kafka data-quality bigquery"),
)  # fmt: skip

# Role titles by profile kind: (Spanish feminine, Spanish masculine, English).
KIND_TITLES: dict[str, tuple[str, str, str]] = {
    "researcher": ("Investigadora", "Investigador", "Researcher"),
    "engineer": ("Ingeniera de aprendizaje automático", "Ingeniero de aprendizaje automático",
                 "Machine learning engineer"),
    "data_scientist": ("Científica de datos", "Científico de datos", "Data scientist"),
    "student": ("Estudiante de doctorado", "Estudiante de doctorado", "PhD student"),
    "founder": ("Fundadora de una startup", "Fundador de una startup", "Startup founder"),
    "executive": ("Directora de datos e IA", "Director de datos e IA", "Head of data and AI"),
    "product_manager": ("Gerente de producto de IA", "Gerente de producto de IA",
                        "AI product manager"),
    "policy_expert": ("Especialista en política de IA", "Especialista en política de IA",
                      "AI policy specialist"),
}  # fmt: skip

# Kinds for the 80 people living in Mexico and the 40 abroad, shuffled at seeding time.
LOCAL_KINDS: dict[str, int] = {
    "founder": 14, "executive": 12, "researcher": 14, "engineer": 14, "data_scientist": 12,
    "student": 6, "product_manager": 5, "policy_expert": 3,
}  # fmt: skip
ABROAD_KINDS: dict[str, int] = {
    "researcher": 12, "engineer": 10, "data_scientist": 8, "student": 5, "founder": 2,
    "executive": 1, "product_manager": 1, "policy_expert": 1,
}  # fmt: skip

BIO_OPENINGS_ES: tuple[str, ...] = (
    "Trabajo en {track} desde hace {years} años.",
    "Llevo {years} años dedicad{o} a {track}, primero en la academia y luego en la industria.",
    "Me especializo en {track} y disfruto llevar prototipos a producción.",
    "Mi trabajo en {track} empezó con mi tesis y se volvió mi carrera.",
)
BIO_OPENINGS_EN: tuple[str, ...] = (
    "I have worked on {track} for {years} years.",
    "I specialise in {track}, moving between research and production systems.",
    "My work in {track} started with my thesis and became my career.",
)
BIO_MIDDLES_ES: tuple[str, ...] = (
    "He colaborado en proyectos con hospitales públicos y gobiernos estatales.",
    "Me interesa que los modelos funcionen bien **en español** y con datos mexicanos.",
    "Doy clases de posgrado y mentorías a estudiantes de primera generación.",
    "Participé en la publicación de conjuntos de datos abiertos para la comunidad.",
    "Coordino un equipo pequeño que evalúa modelos antes de su despliegue.",
    "Me gusta el trabajo interdisciplinario con especialistas del dominio.",
)
BIO_MIDDLES_EN: tuple[str, ...] = (
    "I care about models that work **in Spanish** and on Mexican data.",
    "I have published on evaluation methods and open datasets.",
    "I mentor students from Mexican universities through remote projects.",
    "I lead a small team that evaluates models before deployment.",
)
BIO_CLOSINGS_LOCAL_ES: tuple[str, ...] = (
    "Busco colaborar en retos públicos con impacto social.",
    "Abiert{o} a proyectos de investigación aplicada con empresas mexicanas.",
    "Me interesa asesorar a startups en etapa temprana.",
    "",
)
BIO_CLOSINGS_ABROAD_ES: tuple[str, ...] = (
    "Quiero volver a México en los próximos años y busco equipos con quienes hacerlo.",
    "Me encantaría hacer estancias en centros de investigación mexicanos.",
    "Puedo asesorar a distancia a equipos en México.",
)
BIO_CLOSINGS_ABROAD_EN: tuple[str, ...] = (
    "I would like to return to Mexico and am looking for teams to join.",
    "Happy to do visiting stays at Mexican research centres.",
    "I can advise teams in Mexico remotely.",
)

FREE_SKILLS: tuple[str, ...] = (
    "Modelos de difusión para audio", "Geoestadística", "Quimioinformática",
    "Visión hiperespectral", "Lingüística computacional del náhuatl",
    "Sensores remotos con radar", "Econometría espacial", "Audio forense",
    "Optimización de cadenas de frío", "Epidemiología computacional",
)  # fmt: skip

LINK_HOSTS: tuple[str, ...] = ("portafolio", "blog", "codigo", "publicaciones")
