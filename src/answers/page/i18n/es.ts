import type { PageWords } from './en';

/** Spanish (informal "tú", as in classrooms). Keys and placeholders as in en.ts. */
export const es: PageWords = {
  time_left: 'Tiempo restante:',
  left: 'restantes',
  time_up: 'Se acabó el tiempo: ya no se aceptan respuestas.',
  time_up_live: 'Se acabó el tiempo. Ya no se aceptan respuestas.',
  seconds_left: 'Quedan {seconds} segundos',
  sending: 'Enviando…',

  who_are_you: '¿Quién eres?',
  your_name: 'Tu nombre',
  your_email: 'Tu correo electrónico',

  anonymous_note:
    'Esta pregunta es anónima: tu docente ve las respuestas, pero no quién dio cada una.',

  choose_single: 'Elige una respuesta',
  choose_any: 'Elige una o más respuestas',
  choose_up_to_one: 'Elige como máximo {max} respuesta',
  choose_up_to_other: 'Elige como máximo {max} respuestas',
  true_label: 'Verdadero',
  false_label: 'Falso',
  rate: 'Tu valoración, de {min} a {max}',
  number_answer: 'Tu respuesta (un número)',
  number_hint: 'Para los decimales, usa coma o punto.',
  text_answer: 'Tu respuesta',
  text_limit: 'Hasta {max} caracteres.',
  text_count: '{count} de {max} caracteres',
  text_left: 'Quedan {left} caracteres',
  rank: 'Ordena las opciones, la primera arriba',
  rank_hint: 'Usa los botones de flecha para subir o bajar una opción.',
  move_up: 'Subir «{option}»',
  move_down: 'Bajar «{option}»',
  moved: '«{option}» está ahora en la posición {position}.',

  survey_note: 'Una encuesta: no hay respuestas incorrectas.',
  points_note_one: 'Vale hasta {points} punto; las respuestas correctas más rápidas suman más.',
  points_note_other: 'Vale hasta {points} puntos; las respuestas correctas más rápidas suman más.',
  final_note: 'Tu primera respuesta es la definitiva.',
  submit: 'Enviar respuesta',

  answer_received: 'Respuesta recibida',
  answer_received_title: 'Respuesta recibida: {title}',
  already_answered: 'Ya has respondido',
  your_answer: 'Tu respuesta:',
  recorded: 'Gracias, tu respuesta ha quedado registrada.',
  correct_one: '✓ Correcto: {score} punto',
  correct_other: '✓ Correcto: {score} puntos',
  partly_one: '◐ Parcialmente correcto: {score} punto',
  partly_other: '◐ Parcialmente correcto: {score} puntos',
  wrong: '✗ Respuesta incorrecta: 0 puntos',
  right_answer: 'La respuesta correcta:',
  close_page: 'Ya puedes cerrar esta página.',
  anonymous_answered:
    'Tu respuesta se registró de forma anónima: nada la vincula contigo, así que no se puede volver a mostrar aquí.',

  closed_title: 'Cerrada: {title}',
  closed: 'Esta pregunta está cerrada',
  closed_body: 'Se acabó el tiempo para responder y no se registró ninguna respuesta tuya.',

  back: 'Volver a la pregunta',
  not_found: 'Este enlace no funciona',
  not_found_body:
    'Este enlace de respuesta no es válido. Comprueba que abriste el enlace completo del mensaje del chat de Zoom o pide a tu docente que lo envíe de nuevo.',
  conflict_body: 'Solo cuenta tu primera respuesta, y ya no se puede cambiar.',
  gone_body: 'Se acabó el tiempo antes de que llegara tu respuesta, así que no se registró.',
  too_many: 'Más despacio',
  too_many_body:
    'Han llegado demasiadas respuestas desde aquí. Tu respuesta aún no se ha registrado.',
  server_error: 'Algo ha fallado',
  server_error_body: 'El servidor no pudo procesarlo. Inténtalo de nuevo en un momento.',
  unavailable: 'Inténtalo de nuevo en un momento',
  unavailable_body:
    'Ahora mismo no se puede acceder a las respuestas. Todavía no se ha registrado nada.',
  unreadable: 'No se pudo leer tu respuesta',
  unreadable_body: 'Vuelve atrás, revisa tu respuesta y envíala de nuevo.',
  fix_choice: 'Elige una de las opciones.',
  fix_choices: 'Elige solo opciones de la lista, sin pasar del máximo.',
  fix_value: 'Escribe un número.',
  fix_text: 'Escribe una respuesta que no sea demasiado larga.',
  fix_order: 'Deja cada opción en la lista exactamente una vez.',
  fix_name: 'Escribe tu nombre.',
  fix_email: 'Escribe una dirección de correo válida.',
};
