"""Demo challenges: fictional calls, even when the posting agency is real."""

from __future__ import annotations

from .records import ChallengeSeed as C

DEMO_NOTE_ES = (
    "Convocatoria de demostración: este reto es ficticio y no representa a la institución."
)
DEMO_NOTE_EN = "Demo call: this challenge is fictional and does not represent the institution."

# fmt: off
CHALLENGES: tuple[C, ...] = (
    C("imss", "Priorización de radiografías de tórax en hospitales de segundo nivel", "health",
      "pilot", "startups research_centres consortia", (1_500_000, 4_000_000),
      "medical-imaging ai-health image-classification model-evaluation",
      "Las radiografías de tórax esperan horas antes de ser interpretadas en hospitales con "
      "pocos radiólogos; los casos urgentes se mezclan con los rutinarios.",
      "Un sistema que ordene la lista de lectura por urgencia probable, con sensibilidad "
      "medida en datos mexicanos y supervisión del radiólogo en cada caso.",
      "Estudios anonimizados de tres hospitales (alrededor de 60 000 imágenes) con reportes "
      "radiológicos, disponibles bajo convenio de confidencialidad."),
    C("imss", "Pronóstico de demanda de urgencias por unidad médica", "health", "prototype",
      "startups research_centres individuals", (600_000, 1_500_000),
      "time-series-forecasting predictive-analytics ai-health",
      "Las unidades de urgencias no anticipan picos estacionales ni por eventos locales y "
      "el personal se asigna con reglas fijas.",
      "Pronósticos semanales por unidad con intervalos de confianza y un tablero para "
      "jefaturas de servicio.",
      "Series diarias agregadas de atenciones por unidad de los últimos seis años.",
      "JAL"),
    C("sader", "Pronóstico de rendimiento de maíz por municipio", "agriculture", "prototype",
      "startups research_centres companies consortia", (800_000, 2_500_000),
      "ai-agriculture geospatial-ai time-series-forecasting",
      "Las estimaciones de cosecha llegan tarde para decidir apoyos y compras.",
      "Pronósticos municipales de rendimiento dos meses antes de la cosecha, con error "
      "reportado por región.",
      "Estadística agrícola histórica pública, imágenes satelitales abiertas y registros de "
      "estaciones climatológicas.",
      "SIN"),
    C("sader", "Detección temprana de plagas con fotografías de productores", "agriculture",
      "discovery", "startups individuals research_centres", (300_000, 900_000),
      "computer-vision ai-agriculture few-shot-learning",
      "Los avisos de plagas dependen de visitas técnicas que no alcanzan a todas las "
      "parcelas.",
      "Una aplicación que identifique plagas comunes con fotos tomadas sin conexión y envíe "
      "alertas a técnicos.",
      "Un banco inicial de 8 000 fotografías etiquetadas por técnicos de campo.",
      "CHP"),
    C("conagua", "Detección de fugas en redes de agua potable", "environment", "pilot",
      "startups companies consortia", (1_000_000, 3_500_000),
      "ai-water anomaly-detection time-series-forecasting",
      "Una parte importante del agua potable se pierde en fugas que se detectan solo cuando "
      "afloran a la superficie.",
      "Un modelo que localice sectores con fugas probables a partir de caudales y presiones, "
      "validado con un organismo operador.",
      "Telemetría de caudal y presión de sectores hidrométricos de un organismo operador "
      "piloto, con bitácoras de reparaciones.",
      "NLE"),
    C("conagua", "Pronóstico de niveles en presas para temporada de estiaje", "environment",
      "prototype", "research_centres consortia", (700_000, 2_000_000),
      "time-series-forecasting ai-climate bayesian-inference",
      "Las decisiones de extracción se toman con proyecciones que no incorporan "
      "incertidumbre.",
      "Pronósticos probabilísticos de almacenamiento a seis meses para presas prioritarias.",
      "Series históricas de almacenamiento y precipitación publicadas como datos abiertos.",
      "SON"),
    C("salud", "Clasificación de certificados de defunción por causa", "health", "prototype",
      "research_centres startups", (500_000, 1_400_000),
      "natural-language-processing text-classification ai-health",
      "La codificación de causas de muerte en texto libre es manual y tarda meses.",
      "Un clasificador que proponga códigos de causa con explicación y deje la decisión "
      "final al codificador.",
      "Un conjunto anonimizado de textos de causa ya codificados, bajo convenio."),
    C("inegi", "Clasificación automática de actividades económicas en encuestas", "government",
      "pilot", "research_centres startups consortia", (900_000, 2_200_000),
      "text-classification natural-language-processing ai-public-sector",
      "Las respuestas abiertas sobre ocupación y actividad económica se codifican a mano.",
      "Un modelo que sugiera el código del catálogo con su nivel de confianza y reduzca el "
      "trabajo manual sin perder calidad.",
      "Respuestas históricas codificadas y anonimizadas; catálogos públicos de clasificación.",
      "AGU"),
    C("adip-cdmx", "Clasificación de solicitudes ciudadanas para canalización", "government",
      "pilot", "startups companies individuals", (400_000, 1_200_000),
      "text-classification large-language-models ai-public-sector",
      "Miles de solicitudes ciudadanas llegan cada semana por distintos canales y se "
      "canalizan manualmente a las dependencias.",
      "Un clasificador que proponga la dependencia responsable y detecte urgencias, "
      "auditable y con métricas públicas.",
      "Solicitudes históricas anonimizadas con su dependencia de destino."),
    C("adip-cdmx", "Predicción de inundaciones urbanas por colonia", "environment",
      "discovery", "research_centres consortia startups", (500_000, 1_500_000),
      "geospatial-ai ai-climate smart-cities",
      "Las lluvias intensas provocan encharcamientos que afectan movilidad y vivienda.",
      "Un mapa de riesgo actualizado por hora durante tormentas para protección civil.",
      "Reportes históricos de encharcamientos, radar meteorológico y topografía abierta."),
    C("banxico", "Análisis de texto de comunicados financieros", "finance", "discovery",
      "research_centres individuals", (300_000, 800_000),
      "text-mining sentiment-analysis ai-finance",
      "Analistas revisan manualmente grandes volúmenes de comunicados y notas de prensa.",
      "Herramientas que resuman y clasifiquen tono y temas de documentos públicos.",
      "Documentos públicos y notas de prensa de acceso abierto."),
    C("conafor", "Detección temprana de incendios forestales con cámaras y satélite",
      "environment", "pilot", "startups research_centres consortia", (1_200_000, 3_000_000),
      "computer-vision geospatial-ai ai-environment edge-ai",
      "Los incendios se reportan cuando ya avanzaron; las torres de vigilancia cubren poco "
      "territorio.",
      "Detección de columnas de humo en menos de diez minutos con pocas falsas alarmas.",
      "Imágenes de cámaras piloto en torres de Jalisco y focos de calor satelitales "
      "públicos.",
      "JAL"),
    C("inpi", "Traducción español–lenguas indígenas para servicios públicos", "government",
      "prototype", "research_centres consortia individuals", (800_000, 2_400_000),
      "machine-translation ai-indigenous-languages speech-synthesis",
      "La información de trámites y salud rara vez está disponible en lenguas indígenas.",
      "Traducción asistida, revisada por intérpretes, para textos de trámites en al menos "
      "tres lenguas, con participación y consentimiento de comunidades hablantes.",
      "Textos paralelos de materiales públicos y glosarios elaborados con intérpretes.",
      "OAX"),
    C("bienestar", "Detección de anomalías en padrones de programas sociales", "government",
      "prototype", "research_centres companies consortia", (900_000, 2_500_000),
      "fraud-detection anomaly-detection fairness-bias-mitigation",
      "Registros duplicados o inconsistentes desvían recursos de quienes los necesitan.",
      "Un sistema que señale casos para revisión humana, con evaluación de sesgos y sin "
      "decisiones automáticas de baja.",
      "Padrones seudonimizados y reglas de validación vigentes, bajo convenio."),
    C("nl-movilidad", "Semaforización adaptativa en corredores de Monterrey", "mobility",
      "pilot", "startups companies consortia", (1_500_000, 4_500_000),
      "ai-mobility reinforcement-learning smart-cities",
      "Los corredores principales del área metropolitana se saturan en horas pico.",
      "Un piloto de control adaptativo en un corredor que reduzca tiempos de viaje al menos "
      "10 % sin afectar a peatones.",
      "Conteos vehiculares, tiempos de ciclo actuales y datos de GPS de transporte público.",
      "NLE"),
    C("nl-movilidad", "Pronóstico de ocupación del transporte público", "mobility",
      "discovery", "startups research_centres individuals", (400_000, 1_000_000),
      "time-series-forecasting ai-mobility predictive-analytics",
      "Las frecuencias de rutas no se ajustan a la demanda real por horario.",
      "Pronósticos de ocupación por ruta y hora para planear frecuencias.",
      "Validaciones de tarjeta de pago agregadas por parada y hora.",
      "NLE"),
    C("sader", "Conteo de ganado con drones en ranchos del norte", "agriculture", "discovery",
      "startups individuals", (300_000, 700_000),
      "computer-vision object-detection ai-agriculture",
      "Los inventarios de ganado en agostaderos extensos son costosos y poco frecuentes.",
      "Conteos automáticos con error menor al 5 % a partir de vuelos de dron.",
      "Vuelos de prueba en dos ranchos con conteos manuales de referencia.",
      "CHH"),
    # Company challenges
    C("agroindustrias-del-valle", "Clasificación de calidad de tomate en banda", "agriculture",
      "prototype", "startups individuals", (250_000, 600_000),
      "computer-vision image-classification ai-agriculture",
      "La selección por calidad en empaque es manual y varía entre turnos.",
      "Un clasificador en línea que separe tres calidades a la velocidad de la banda.",
      "Videos de banda y 5 000 imágenes etiquetadas por supervisores.",
      "SIN"),
    C("seguros-atlas-digital", "Detección de reclamaciones médicas atípicas", "finance",
      "pilot", "startups research_centres", (500_000, 1_300_000),
      "fraud-detection anomaly-detection ai-insurance",
      "Una fracción de reclamaciones tiene patrones atípicos que hoy se revisan al azar.",
      "Priorizar la revisión de casos atípicos con explicación para los analistas.",
      "Reclamaciones históricas seudonimizadas con resultado de revisión.",
      "NLE"),
    C("telcomex-labs", "Asistente en español para soporte técnico", "telecom", "prototype",
      "startups companies", (400_000, 1_100_000),
      "conversational-ai large-language-models retrieval-augmented-generation",
      "El soporte técnico recibe preguntas repetitivas que saturan los centros de llamadas.",
      "Un asistente que resuelva dudas frecuentes citando manuales y escale a personas.",
      "Manuales técnicos y conversaciones anonimizadas de soporte.",
      "JAL"),
)
# fmt: on
