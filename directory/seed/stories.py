"""Six fictional success stories, told in Spanish and English."""

from __future__ import annotations

from .records import StorySeed as S

# fmt: off
STORIES: tuple[S, ...] = (
    S("retinopatia-sureste", "kaab-health uady", "health", "YUC",
      "Tamizaje de retinopatía diabética en clínicas de Yucatán",
      "Diabetic retinopathy screening in Yucatán clinics",
      "Un modelo validado localmente prioriza a pacientes con riesgo de pérdida de visión.",
      "A locally validated model prioritises patients at risk of losing their sight.",
      "Kaab Health y la Universidad Autónoma de Yucatán validaron un modelo de tamizaje con "
      "fotografías de fondo de ojo tomadas en clínicas de primer nivel (historia ficticia de "
      "demostración). Las imágenes sospechosas se envían a oftalmología con prioridad, y "
      "cada resultado lo confirma un especialista. El piloto redujo los tiempos de espera "
      "y permitió atender a más pacientes con los mismos especialistas.",
      "Kaab Health and the Universidad Autónoma de Yucatán validated a screening model on "
      "fundus photographs taken in primary-care clinics (a fictional demo story). Suspicious "
      "images go to ophthalmology first, and a specialist confirms every result. The pilot "
      "cut waiting times and let the same specialists see more patients.",
      (("Pacientes tamizados", "Patients screened", "18 400"),
       ("Reducción del tiempo de espera", "Shorter waiting time", "-63 %"),
       ("Sensibilidad en validación local", "Sensitivity on local validation", "91 %")),
      True),
    S("inspeccion-electronica-jalisco", "xoco-vision", "manufacturing", "JAL",
      "Inspección visual de tarjetas electrónicas en Jalisco",
      "Visual inspection of circuit boards in Jalisco",
      "Cámaras con modelos en el borde detectan defectos de soldadura en línea.",
      "Edge cameras catch soldering defects on the production line.",
      "Xoco Visión instaló cámaras con modelos de detección en tres líneas de ensamble de "
      "una maquiladora ficticia de El Salto. El sistema marca tarjetas con defectos de "
      "soldadura antes de la prueba eléctrica y aprende de las correcciones de los "
      "operadores. La planta redujo retrabajos y devoluciones de clientes.",
      "Xoco Visión installed cameras running detection models on three assembly lines of a "
      "fictional contract manufacturer in El Salto. The system flags boards with soldering "
      "defects before electrical testing and learns from operators' corrections. The plant "
      "reduced rework and customer returns.",
      (("Defectos detectados antes de prueba", "Defects caught before testing", "94 %"),
       ("Reducción de retrabajos", "Less rework", "-41 %")),
      True),
    S("pronostico-cosechas-bajio", "milpa-analytics cimat", "agriculture", "GUA",
      "Pronóstico de cosechas de sorgo en el Bajío",
      "Sorghum yield forecasting in the Bajío",
      "Imágenes satelitales y estadística bayesiana anticipan la cosecha ocho semanas.",
      "Satellite imagery and Bayesian statistics forecast harvests eight weeks ahead.",
      "Milpa Analytics y el CIMAT desarrollaron un modelo que combina imágenes satelitales "
      "abiertas con registros de estaciones para estimar el rendimiento por parcela "
      "(historia ficticia). Una aseguradora agrícola lo usa para planear ajustes en campo "
      "y los productores reciben el pronóstico por mensaje de texto.",
      "Milpa Analytics and CIMAT built a model combining open satellite imagery with "
      "weather-station records to estimate yield per plot (a fictional story). An "
      "agricultural insurer uses it to plan field assessments, and farmers receive the "
      "forecast by text message.",
      (("Hectáreas monitoreadas", "Hectares monitored", "52 000"),
       ("Error medio del pronóstico", "Mean forecast error", "8 %"),
       ("Productores participantes", "Participating farmers", "1 300")),
      True),
    S("ruteo-ultima-milla-queretaro", "ruta-datos", "mobility", "QUE",
      "Ruteo de última milla para distribuidores de Querétaro",
      "Last-mile routing for distributors in Querétaro",
      "Un motor de optimización recorta kilómetros y emisiones de flotas pequeñas.",
      "An optimisation engine cuts kilometres and emissions for small fleets.",
      "Ruta Datos adaptó su motor de ruteo a las restricciones de distribuidores de abarrotes "
      "de Querétaro: ventanas de entrega, calles estrechas y pagos en efectivo (historia "
      "ficticia). Los choferes reciben la ruta en su teléfono y pueden reportar cambios.",
      "Ruta Datos adapted its routing engine to grocery distributors in Querétaro: delivery "
      "windows, narrow streets and cash payments (a fictional story). Drivers get the route "
      "on their phones and can report changes.",
      (("Kilómetros ahorrados al mes", "Kilometres saved per month", "31 000"),
       ("Entregas a tiempo", "On-time deliveries", "96 %"))),
    S("asistente-juridico-cdmx", "tlali-labs datos-para-todos", "legal", "CMX",
      "Búsqueda jurídica con fuentes citadas para defensorías",
      "Cited legal search for public defenders",
      "Un asistente en español responde con artículos y tesis verificables.",
      "A Spanish-language assistant answers with verifiable articles and precedents.",
      "Tlali Labs y Datos para Todos probaron un asistente de búsqueda jurídica con "
      "defensorías de oficio (historia ficticia). Cada respuesta cita el artículo o la tesis "
      "de origen, y las abogadas califican su utilidad. El equipo publicó su método de "
      "evaluación para que otras organizaciones lo reutilicen.",
      "Tlali Labs and Datos para Todos tested a legal search assistant with public "
      "defenders (a fictional story). Every answer cites its source article or precedent, "
      "and lawyers rate its usefulness. The team published its evaluation method for other "
      "organisations to reuse.",
      (("Consultas atendidas", "Queries answered", "12 700"),
       ("Respuestas con cita correcta", "Answers with correct citation", "97 %"))),
    S("mantenimiento-predictivo-monterrey", "norte-ml uanl", "manufacturing", "NLE",
      "Mantenimiento predictivo en una acería de Nuevo León",
      "Predictive maintenance at a Nuevo León steel mill",
      "Sensores de vibración y modelos de anomalías evitan paros no programados.",
      "Vibration sensors and anomaly models prevent unplanned stoppages.",
      "Norte ML y estudiantes de la UANL instrumentaron motores y reductores de una acería "
      "ficticia y entrenaron modelos de anomalías con bitácoras de mantenimiento. Los "
      "avisos llegan con días de anticipación y el equipo de planta decide cuándo "
      "intervenir.",
      "Norte ML and UANL students instrumented motors and gearboxes at a fictional steel "
      "mill and trained anomaly models on maintenance logs. Alerts arrive days in advance "
      "and the plant team decides when to intervene.",
      (("Paros no programados evitados", "Unplanned stoppages avoided", "23"),
       ("Ahorro anual estimado (MXN)", "Estimated yearly savings (MXN)", "14 millones"),
       ("Activos monitoreados", "Assets monitored", "180"))),
)
# fmt: on
