"""Real public institutions, described with public facts only."""

from __future__ import annotations

from .records import OrgSeed

# fmt: off
INSTITUTIONS: tuple[OrgSeed, ...] = (
    # Research centres
    OrgSeed(
        "cimat", "Centro de Investigación en Matemáticas (CIMAT)", "research_centre",
        "GUA", "Guanajuato", "201-1000", "education manufacturing",
        "machine-learning computer-vision statistical-modeling data-science",
        "https://www.cimat.mx",
        "Centro público de investigación en matemáticas, probabilidad, estadística y "
        "ciencias de la computación. Ofrece posgrados y colabora con la industria del Bajío "
        "en proyectos de análisis de datos y visión por computadora.",
        "v",
    ),
    OrgSeed(
        "inaoe", "Instituto Nacional de Astrofísica, Óptica y Electrónica (INAOE)",
        "research_centre", "PUE", "San Andrés Cholula", "201-1000", "education telecom",
        "natural-language-processing computer-vision machine-learning signal-processing",
        "https://www.inaoep.mx",
        "Centro público de investigación con sede en Tonantzintla, Puebla, con programas en "
        "astrofísica, óptica, electrónica y ciencias computacionales. Su coordinación de "
        "ciencias computacionales trabaja en procesamiento de lenguaje y visión.",
        "v",
    ),
    OrgSeed(
        "cinvestav", "Centro de Investigación y de Estudios Avanzados (Cinvestav)",
        "research_centre", "CMX", "Ciudad de México", "1000+", "education health manufacturing",
        "machine-learning robotics bioinformatics ai-research",
        "https://www.cinvestav.mx",
        "Centro de investigación científica y posgrado con unidades en varios estados del "
        "país. Sus departamentos de computación y control automático forman investigadores "
        "en aprendizaje automático y robótica.",
        "v",
    ),
    OrgSeed(
        "cicese", "Centro de Investigación Científica y de Educación Superior de Ensenada",
        "research_centre", "BCN", "Ensenada", "201-1000", "environment education",
        "machine-learning geospatial-ai ai-environment signal-processing",
        "https://www.cicese.edu.mx",
        "Public research centre in Ensenada, Baja California, working on earth sciences, "
        "oceanography, physics and computer science. Its groups apply machine learning to "
        "environmental and oceanographic data.",
        "v",
    ),
    OrgSeed(
        "infotec", "INFOTEC Centro de Investigación e Innovación en TIC", "research_centre",
        "AGU", "Aguascalientes", "201-1000", "government education",
        "data-science natural-language-processing ai-public-sector",
        "https://www.infotec.mx",
        "Centro público dedicado a las tecnologías de la información y la comunicación, con "
        "sedes en la Ciudad de México y Aguascalientes. Ofrece posgrados en ciencia de datos "
        "y acompaña proyectos digitales del sector público.",
        "v",
    ),
    OrgSeed(
        "centrogeo", "Centro de Investigación en Ciencias de Información Geoespacial (CentroGeo)",
        "research_centre", "CMX", "Ciudad de México", "51-200", "environment government",
        "geospatial-ai gis-tools data-science",
        "https://www.centrogeo.org.mx",
        "Centro público de investigación especializado en ciencias de información geoespacial. "
        "Desarrolla métodos y plataformas para el análisis territorial.",
    ),
    OrgSeed(
        "cidesi", "Centro de Ingeniería y Desarrollo Industrial (CIDESI)", "research_centre",
        "QUE", "Querétaro", "201-1000", "manufacturing energy",
        "ai-manufacturing robotics computer-vision",
        "https://www.cidesi.mx",
        "Centro público de investigación en ingeniería con sede en Querétaro. Apoya a la "
        "industria manufacturera y aeroespacial con desarrollo tecnológico y automatización.",
    ),
    # Universities
    OrgSeed(
        "iimas-unam",
        "Instituto de Investigaciones en Matemáticas Aplicadas y en Sistemas (IIMAS-UNAM)",
        "university", "CMX", "Ciudad de México", "201-1000", "education health",
        "artificial-intelligence natural-language-processing speech-recognition ai-research",
        "https://www.iimas.unam.mx",
        "Instituto de la Universidad Nacional Autónoma de México en Ciudad Universitaria. "
        "Reúne grupos de ciencia e ingeniería de la computación, matemáticas aplicadas y "
        "estadística, con líneas en lenguaje natural y robótica.",
        "v",
    ),
    OrgSeed(
        "tec-de-monterrey", "Tecnológico de Monterrey", "university", "NLE", "Monterrey",
        "1000+", "education manufacturing health",
        "artificial-intelligence data-science ai-teaching ai-entrepreneurship",
        "https://tec.mx",
        "Private university founded in Monterrey in 1943, with campuses across Mexico. It "
        "offers undergraduate and graduate programmes in computer science, data science and "
        "artificial intelligence.",
        "vc",
    ),
    OrgSeed(
        "udg", "Universidad de Guadalajara", "university", "JAL", "Guadalajara", "1000+",
        "education health",
        "artificial-intelligence machine-learning ai-teaching open-data",
        "https://www.udg.mx",
        "Universidad pública del estado de Jalisco organizada en una red de centros "
        "universitarios. Ofrece programas de computación e inteligencia artificial y "
        "colabora con el ecosistema tecnológico de Guadalajara.",
        "v",
    ),
    OrgSeed(
        "uady", "Universidad Autónoma de Yucatán", "university", "YUC", "Mérida", "1000+",
        "education health",
        "machine-learning data-science ai-teaching",
        "https://www.uady.mx",
        "Universidad pública del estado de Yucatán con sede en Mérida. Su facultad de "
        "matemáticas imparte programas de computación y ciencia de datos.",
    ),
    OrgSeed(
        "uanl", "Universidad Autónoma de Nuevo León", "university", "NLE",
        "San Nicolás de los Garza", "1000+", "education manufacturing",
        "machine-learning operations-research ai-teaching",
        "https://www.uanl.mx",
        "Universidad pública del estado de Nuevo León. Sus facultades de ingeniería y ciencias "
        "físico-matemáticas forman especialistas en investigación de operaciones y datos.",
    ),
    OrgSeed(
        "cic-ipn", "Centro de Investigación en Computación del IPN", "university", "CMX",
        "Ciudad de México", "51-200", "education government",
        "natural-language-processing machine-learning neural-networks",
        "https://www.cic.ipn.mx",
        "Centro del Instituto Politécnico Nacional dedicado a la investigación y el posgrado "
        "en ciencias de la computación. Trabaja en lenguaje natural, redes neuronales y "
        "reconocimiento de patrones.",
        "v",
    ),
    # Government agencies (the challenges they post in the demo are fictional)
    OrgSeed(
        "inegi", "Instituto Nacional de Estadística y Geografía (INEGI)", "government_agency",
        "AGU", "Aguascalientes", "1000+", "government",
        "data-science geospatial-ai open-data text-classification",
        "https://www.inegi.org.mx",
        "Organismo autónomo responsable del Sistema Nacional de Información Estadística y "
        "Geográfica. Levanta censos y encuestas y publica datos abiertos.",
        "v",
    ),
    OrgSeed(
        "adip-cdmx", "Agencia Digital de Innovación Pública de la CDMX", "government_agency",
        "CMX", "Ciudad de México", "201-1000", "government mobility",
        "artificial-intelligence ai-public-sector smart-cities open-data",
        "https://adip.cdmx.gob.mx",
        "Agencia del Gobierno de la Ciudad de México encargada de la política de gobierno "
        "digital, datos abiertos y servicios públicos en línea.",
        "v",
    ),
    OrgSeed(
        "imss", "Instituto Mexicano del Seguro Social (IMSS)", "government_agency", "CMX",
        "Ciudad de México", "1000+", "health government",
        "ai-health medical-imaging predictive-analytics",
        "https://www.imss.gob.mx",
        "Institución pública de seguridad social que presta servicios de salud y prestaciones "
        "a trabajadores y sus familias en todo el país.",
        "v",
    ),
    OrgSeed(
        "conagua", "Comisión Nacional del Agua (CONAGUA)", "government_agency", "CMX",
        "Ciudad de México", "1000+", "environment government",
        "predictive-analytics ai-water time-series-forecasting anomaly-detection",
        "https://www.gob.mx/conagua",
        "Órgano administrativo desconcentrado de la Secretaría de Medio Ambiente y Recursos "
        "Naturales encargado de la administración de las aguas nacionales.",
        "v",
    ),
    OrgSeed(
        "salud", "Secretaría de Salud", "government_agency", "CMX", "Ciudad de México",
        "1000+", "health government",
        "ai-health natural-language-processing data-governance",
        "https://www.gob.mx/salud",
        "Dependencia del Gobierno de México responsable de la política nacional de salud.",
        "v",
    ),
    OrgSeed(
        "sader", "Secretaría de Agricultura y Desarrollo Rural (SADER)", "government_agency",
        "CMX", "Ciudad de México", "1000+", "agriculture government",
        "ai-agriculture geospatial-ai time-series-forecasting",
        "https://www.gob.mx/agricultura",
        "Dependencia federal encargada de la política agrícola, pecuaria y pesquera del país.",
        "v",
    ),
    OrgSeed(
        "banxico", "Banco de México", "government_agency", "CMX", "Ciudad de México",
        "1000+", "finance government",
        "data-science natural-language-processing ai-finance time-series-forecasting",
        "https://www.banxico.org.mx",
        "Mexico's autonomous central bank. Its mandate is to preserve the purchasing power of "
        "the national currency and to promote a sound financial system.",
        "v",
    ),
    OrgSeed(
        "conafor", "Comisión Nacional Forestal (CONAFOR)", "government_agency", "JAL",
        "Zapopan", "1000+", "environment government",
        "ai-environment geospatial-ai computer-vision",
        "https://www.gob.mx/conafor",
        "Organismo público con sede en Zapopan, Jalisco, encargado de impulsar la "
        "conservación y restauración forestal y de coordinar el manejo del fuego.",
    ),
    OrgSeed(
        "inpi", "Instituto Nacional de los Pueblos Indígenas (INPI)", "government_agency",
        "CMX", "Ciudad de México", "1000+", "government education",
        "ai-indigenous-languages machine-translation speech-recognition",
        "https://www.gob.mx/inpi",
        "Organismo público encargado de las políticas para los pueblos indígenas y "
        "afromexicano, incluida la atención en sus lenguas.",
    ),
    OrgSeed(
        "bienestar", "Secretaría de Bienestar", "government_agency", "CMX",
        "Ciudad de México", "1000+", "government finance",
        "data-science fraud-detection anomaly-detection ai-public-sector",
        "https://www.gob.mx/bienestar",
        "Dependencia federal responsable de los programas sociales del Gobierno de México.",
    ),
    OrgSeed(
        "nl-movilidad", "Secretaría de Movilidad y Planeación Urbana de Nuevo León",
        "government_agency", "NLE", "Monterrey", "201-1000", "mobility government",
        "predictive-analytics ai-mobility smart-cities time-series-forecasting",
        "https://www.nl.gob.mx",
        "Dependencia del Gobierno de Nuevo León encargada de la movilidad, el transporte y la "
        "planeación urbana del área metropolitana de Monterrey.",
    ),
)
# fmt: on
