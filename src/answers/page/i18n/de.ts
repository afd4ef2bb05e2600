import type { PageWords } from './en';

/** German (formal "Sie"). Keys and placeholders as in en.ts. */
export const de: PageWords = {
  time_left: 'Verbleibende Zeit:',
  left: 'übrig',
  time_up: 'Die Zeit ist um: Es werden keine Antworten mehr angenommen.',
  time_up_live: 'Die Zeit ist um. Es werden keine Antworten mehr angenommen.',
  seconds_left: 'Noch {seconds} Sekunden',
  sending: 'Wird gesendet…',

  who_are_you: 'Wer sind Sie?',
  your_name: 'Ihr Name',
  your_email: 'Ihre E-Mail-Adresse',

  anonymous_note:
    'Diese Frage ist anonym: Ihre Lehrkraft sieht die Antworten, aber nicht, wer welche Antwort gegeben hat.',

  choose_single: 'Wählen Sie eine Antwort',
  choose_any: 'Wählen Sie eine oder mehrere Antworten',
  choose_up_to_one: 'Wählen Sie höchstens {max} Antwort',
  choose_up_to_other: 'Wählen Sie höchstens {max} Antworten',
  true_label: 'Wahr',
  false_label: 'Falsch',
  rate: 'Ihre Bewertung, von {min} bis {max}',
  number_answer: 'Ihre Antwort (eine Zahl)',
  number_hint: 'Dezimalstellen mit Komma oder Punkt.',
  text_answer: 'Ihre Antwort',
  text_limit: 'Höchstens {max} Zeichen.',
  text_count: '{count} von {max} Zeichen',
  text_left: 'Noch {left} Zeichen',
  rank: 'Ordnen Sie die Optionen, die erste ganz oben',
  rank_hint: 'Mit den Pfeil-Schaltflächen verschieben Sie eine Option nach oben oder unten.',
  move_up: '„{option}“ nach oben',
  move_down: '„{option}“ nach unten',
  moved: '„{option}“ ist jetzt auf Platz {position}.',

  survey_note: 'Eine Umfrage: Es gibt keine falsche Antwort.',
  points_note_one: 'Bis zu {points} Punkt; schnelle richtige Antworten bringen mehr.',
  points_note_other: 'Bis zu {points} Punkte; schnelle richtige Antworten bringen mehr.',
  final_note: 'Ihre erste Antwort ist endgültig.',
  submit: 'Antwort senden',

  answer_received: 'Antwort erhalten',
  answer_received_title: 'Antwort erhalten: {title}',
  already_answered: 'Sie haben bereits geantwortet',
  your_answer: 'Ihre Antwort:',
  recorded: 'Danke, Ihre Antwort ist gespeichert.',
  correct_one: '✓ Richtig: {score} Punkt',
  correct_other: '✓ Richtig: {score} Punkte',
  partly_one: '◐ Teilweise richtig: {score} Punkt',
  partly_other: '◐ Teilweise richtig: {score} Punkte',
  wrong: '✗ Nicht die richtige Antwort: 0 Punkte',
  right_answer: 'Die richtige Antwort:',
  close_page: 'Sie können diese Seite jetzt schließen.',
  anonymous_answered:
    'Ihre Antwort wurde anonym gespeichert: Nichts verbindet sie mit Ihnen, daher kann sie hier nicht mehr angezeigt werden.',

  closed_title: 'Geschlossen: {title}',
  closed: 'Diese Frage ist geschlossen',
  closed_body:
    'Die Zeit zum Antworten ist abgelaufen, und für Sie wurde keine Antwort gespeichert.',

  back: 'Zurück zur Frage',
  not_found: 'Dieser Link funktioniert nicht',
  not_found_body:
    'Dieser Antwortlink ist ungültig. Prüfen Sie, ob Sie den ganzen Link aus Ihrer Zoom-Chatnachricht geöffnet haben, oder bitten Sie Ihre Lehrkraft, ihn erneut zu senden.',
  conflict_body: 'Ihre erste Antwort zählt und kann nicht mehr geändert werden.',
  gone_body:
    'Die Zeit war abgelaufen, bevor Ihre Antwort ankam, daher wurde sie nicht gespeichert.',
  too_many: 'Langsamer, bitte',
  too_many_body: 'Von hier kamen zu viele Antworten. Ihre Antwort ist noch nicht gespeichert.',
  server_error: 'Etwas ist schiefgelaufen',
  server_error_body:
    'Der Server konnte das nicht verarbeiten. Bitte versuchen Sie es gleich noch einmal.',
  unavailable: 'Bitte versuchen Sie es gleich noch einmal',
  unavailable_body: 'Die Antworten sind gerade nicht erreichbar. Es wurde noch nichts gespeichert.',
  unreadable: 'Ihre Antwort konnte nicht gelesen werden',
  unreadable_body: 'Gehen Sie zurück, prüfen Sie Ihre Antwort und senden Sie sie erneut.',
  fix_choice: 'Wählen Sie eine der Optionen.',
  fix_choices: 'Wählen Sie nur Optionen aus der Liste und nicht mehr als erlaubt.',
  fix_value: 'Geben Sie eine Zahl ein.',
  fix_text: 'Schreiben Sie eine Antwort, die nicht zu lang ist.',
  fix_order: 'Jede Option muss genau einmal in der Liste stehen.',
  fix_name: 'Geben Sie Ihren Namen ein.',
  fix_email: 'Geben Sie eine gültige E-Mail-Adresse ein.',
};
