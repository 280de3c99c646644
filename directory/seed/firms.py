"""Fictional firms, startups, NGOs and chambers (any resemblance is coincidental)."""

from __future__ import annotations

from .records import OrgSeed

# fmt: off
FIRMS: tuple[OrgSeed, ...] = (
    # Startups
    OrgSeed(
        "xoco-vision", "Xoco Visión", "startup", "JAL", "Guadalajara", "11-50",
        "manufacturing retail", "computer-vision object-detection edge-ai pytorch",
        "https://xocovision.example.mx",
        "Startup tapatía que desarrolla sistemas de inspección visual para líneas de "
        "producción electrónica. Sus modelos corren en dispositivos de borde y detectan "
        "defectos en tiempo real. Trabaja con maquiladoras del corredor Guadalajara–El Salto.",
        "vc",
    ),
    OrgSeed(
        "milpa-analytics", "Milpa Analytics", "startup", "GUA", "León", "11-50",
        "agriculture", "ai-agriculture geospatial-ai time-series-forecasting",
        "https://milpa-analytics.example.mx",
        "Plataforma de pronóstico de rendimiento agrícola a partir de imágenes satelitales y "
        "datos climáticos. Atiende a productores de granos del Bajío y a aseguradoras "
        "agrícolas.",
        "c",
    ),
    OrgSeed(
        "tlali-labs", "Tlali Labs", "startup", "CMX", "Ciudad de México", "1-10",
        "legal government", "natural-language-processing large-language-models legal-ai",
        "https://tlalilabs.example.mx",
        "Equipo pequeño que construye asistentes de búsqueda jurídica en español sobre "
        "legislación y jurisprudencia mexicanas. Combina recuperación aumentada con revisión "
        "humana para evitar respuestas inventadas.",
    ),
    OrgSeed(
        "kaab-health", "Kaab Health", "startup", "YUC", "Mérida", "11-50", "health",
        "computer-vision ai-health medical-imaging deep-learning",
        "https://kaabhealth.example.mx",
        "Startup de Mérida enfocada en tamizaje de retinopatía diabética con fotografías de "
        "fondo de ojo. Colabora con clínicas del sureste y prioriza la validación clínica "
        "local.",
        "v",
    ),
    OrgSeed(
        "norte-ml", "Norte ML", "startup", "NLE", "Monterrey", "11-50",
        "manufacturing energy", "predictive-analytics anomaly-detection mlops",
        "https://norteml.example.mx",
        "Monterrey startup offering predictive maintenance for steel and cement plants. Its "
        "models combine vibration sensors with maintenance logs to anticipate failures.",
        "c",
    ),
    OrgSeed(
        "quetzal-nlp", "Quetzal NLP", "startup", "PUE", "Puebla", "1-10",
        "education media", "natural-language-processing ai-indigenous-languages",
        "https://quetzalnlp.example.org",
        "Startup poblana que crea corpus y modelos de lenguaje para náhuatl y otras lenguas "
        "originarias. Publica parte de sus datos con licencias abiertas y trabaja con "
        "comunidades hablantes.",
    ),
    OrgSeed(
        "ruta-datos", "Ruta Datos", "startup", "QUE", "Querétaro", "11-50",
        "mobility retail", "operations-research ai-logistics predictive-analytics",
        "https://rutadatos.example.mx",
        "Optimización de rutas de última milla para distribuidores del centro del país. Su "
        "motor de planeación reduce kilómetros recorridos y tiempos de entrega.",
        "vc",
    ),
    OrgSeed(
        "cacao-ai", "Cacao AI", "startup", "TAB", "Villahermosa", "1-10",
        "agriculture environment", "computer-vision ai-agriculture",
        "https://cacaoai.example.mx",
        "Detección temprana de enfermedades en cultivos de cacao mediante fotografías tomadas "
        "con teléfono. Opera en Tabasco y Chiapas con cooperativas de productores.",
        "p",
    ),
    OrgSeed(
        "ballena-robotics", "Ballena Robotics", "startup", "BCS", "La Paz", "1-10",
        "environment", "robotics computer-vision ai-environment",
        "https://ballenarobotics.example.org",
        "Builds low-cost underwater drones that count fish and monitor reefs in the Gulf of "
        "California. Works with fishing cooperatives and marine biologists.",
    ),
    OrgSeed(
        "sonora-solar-ai", "Sonora Solar AI", "startup", "SON", "Hermosillo", "11-50",
        "energy", "predictive-analytics ai-energy time-series-forecasting",
        "https://sonorasolar.example.mx",
        "Pronóstico de generación fotovoltaica para parques solares del noroeste. Ayuda a "
        "los operadores a planear su oferta en el mercado eléctrico.",
    ),
    OrgSeed(
        "voz-maya", "Voz Maya", "startup", "YUC", "Mérida", "1-10", "media education",
        "speech-recognition speech-synthesis ai-indigenous-languages",
        "https://vozmaya.example.org",
        "Reconocimiento y síntesis de voz en maya yucateco para servicios de atención y "
        "educación. Construye sus datos con hablantes que reciben pago justo y crédito.",
        "p",
    ),
    OrgSeed(
        "fintli", "Fintli", "startup", "CMX", "Ciudad de México", "51-200", "finance",
        "ai-finance fraud-detection gradient-boosting mlops",
        "https://fintli.example.mx",
        "Fintech que ofrece evaluación de riesgo crediticio para pequeños comercios con "
        "historial limitado. Sus modelos se auditan por sesgo cada trimestre.",
        "vc",
    ),
    # Companies
    OrgSeed(
        "grupo-datamex", "Grupo Datamex", "company", "CMX", "Ciudad de México", "201-1000",
        "finance retail telecom", "data-science mlops cloud-architecture business-intelligence",
        "https://datamex.example.mx",
        "Consultora de datos e inteligencia artificial con clientes en banca, comercio y "
        "telecomunicaciones. Implementa plataformas de MLOps y modelos de pronóstico de "
        "demanda.",
        "vc",
    ),
    OrgSeed(
        "bajio-industrial-ai", "Bajío Industrial AI", "company", "GUA", "Celaya", "51-200",
        "manufacturing", "ai-manufacturing computer-vision robotics",
        "https://bajioindustrial.example.mx",
        "Integrador de soluciones de visión y robótica para la industria automotriz del "
        "Bajío. Diseña celdas de inspección y sistemas de trazabilidad.",
        "c",
    ),
    OrgSeed(
        "seguros-atlas-digital", "Atlas Digital Seguros", "company", "NLE",
        "San Pedro Garza García", "1000+", "finance health",
        "ai-insurance fraud-detection intelligent-document-processing",
        "https://atlasdigital.example.mx",
        "Aseguradora ficticia con un área de ciencia de datos dedicada a reclamaciones y "
        "detección de fraude. Automatiza la lectura de documentos médicos.",
        "v",
    ),
    OrgSeed(
        "telcomex-labs", "Telcomex Labs", "company", "JAL", "Zapopan", "201-1000",
        "telecom", "ai-telecom anomaly-detection large-language-models",
        "https://telcomexlabs.example.mx",
        "Innovation lab of a fictional telecom operator in Zapopan. It builds network anomaly "
        "detection and Spanish-language customer assistants.",
        "c",
    ),
    OrgSeed(
        "agroindustrias-del-valle", "Agroindustrias del Valle", "company", "SIN", "Culiacán",
        "201-1000", "agriculture retail", "ai-agriculture predictive-analytics",
        "https://agrovalle.example.mx",
        "Empresa agroexportadora de hortalizas que usa modelos predictivos para planear "
        "cosechas y logística de exportación.",
    ),
    OrgSeed(
        "energia-peninsular", "Energía Peninsular", "company", "ROO", "Cancún", "51-200",
        "energy environment", "predictive-analytics ai-energy ai-climate time-series-forecasting",
        "https://energiapeninsular.example.mx",
        "Operadora de microrredes en hoteles y comunidades de la península. Pronostica "
        "demanda y clima para despachar baterías.",
    ),
    OrgSeed(
        "minera-datos-zacatecas", "Minera Datos Zacatecas", "company", "ZAC", "Zacatecas",
        "51-200", "manufacturing environment", "ai-mining geospatial-ai",
        "https://mineradatos.example.mx",
        "Servicios de análisis geoespacial y seguridad para la minería. Modela riesgos "
        "ambientales con imágenes satelitales.",
        "p",
    ),
    OrgSeed(
        "oaxaca-software", "Oaxaca Software Cooperativa", "company", "OAX", "Oaxaca de Juárez",
        "11-50", "education government", "software-engineering machine-translation",
        "https://oaxacasoftware.example.org",
        "Cooperativa de desarrollo de software que crea herramientas digitales multilingües "
        "para gobiernos municipales y escuelas.",
    ),
    # NGOs
    OrgSeed(
        "datos-para-todos", "Datos para Todos A.C.", "ngo", "CMX", "Ciudad de México", "11-50",
        "government media", "data-science open-data data-journalism ai-social-good",
        "https://datosparatodos.example.org",
        "Asociación civil que promueve la apertura de datos públicos y la rendición de "
        "cuentas en el uso de algoritmos por el gobierno.",
        "v",
    ),
    OrgSeed(
        "ia-etica-mx", "Observatorio de IA Ética", "ngo", "JAL", "Guadalajara", "1-10",
        "legal government", "ai-ethics responsible-ai ai-policy",
        "https://iaetica.example.org",
        "Independent observatory that audits public-sector algorithms and publishes policy "
        "briefs on responsible AI in Mexico.",
    ),
    OrgSeed(
        "mujeres-en-datos", "Mujeres en Datos Veracruz", "ngo", "VER", "Xalapa", "1-10",
        "education", "ai-teaching data-science",
        "https://mujeresendatos.example.org",
        "Colectivo que ofrece talleres gratuitos de programación y ciencia de datos para "
        "mujeres en Veracruz. Organiza mentorías con profesionales de la diáspora.",
    ),
    # Chambers (fictional)
    OrgSeed(
        "camara-ia-mx", "Cámara Mexicana de Inteligencia Artificial (demo)", "chamber",
        "CMX", "Ciudad de México", "11-50", "government education",
        "artificial-intelligence ai-policy ai-strategy ai-entrepreneurship",
        "https://camaraia.example.org",
        "Cámara ficticia que reúne a empresas y centros del ecosistema de IA. Opera este "
        "directorio y vincula talento, retos públicos y empresas.",
        "vc",
    ),
    OrgSeed(
        "cluster-ti-yucatan", "Clúster de TI de la Península (demo)", "chamber", "YUC",
        "Mérida", "11-50", "telecom education",
        "artificial-intelligence ai-entrepreneurship software-engineering",
        "https://clusterpeninsula.example.org",
        "Agrupación ficticia de empresas de tecnología del sureste que impulsa la formación "
        "de talento y la atracción de inversión.",
        "c",
    ),
    OrgSeed(
        "cluster-ia-bajio", "Clúster de IA del Bajío (demo)", "chamber", "QUE", "Querétaro",
        "11-50", "manufacturing", "computer-vision ai-manufacturing ai-strategy",
        "https://clusteriabajio.example.org",
        "Fictional cluster of manufacturers, universities and startups in Querétaro, "
        "Guanajuato and Aguascalientes adopting AI on the shop floor.",
        "c",
    ),
    OrgSeed(
        "chihuahua-datalab", "Chihuahua DataLab", "startup", "CHH", "Ciudad Juárez", "11-50",
        "manufacturing mobility", "computer-vision ai-logistics",
        "https://chihuahuadatalab.example.mx",
        "Startup fronteriza que mide tiempos de cruce y de carga con visión por computadora "
        "para maquiladoras y transportistas.",
    ),
)
# fmt: on
