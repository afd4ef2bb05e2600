import type { PageWords } from './en';

/**
 * French ("vous"). A no-break space before ":", "?", "»" and after "«", as French typography
 * wants. Keys and placeholders as in en.ts.
 */
export const fr: PageWords = {
  time_left: 'Temps restant\u00a0:',
  left: 'restantes',
  time_up: 'Temps écoulé\u00a0: les réponses sont closes.',
  time_up_live: 'Temps écoulé. Les réponses sont closes.',
  seconds_left: 'Plus que {seconds} secondes',
  sending: 'Envoi…',

  who_are_you: 'Qui êtes-vous\u00a0?',
  your_name: 'Votre nom',
  your_email: 'Votre adresse e-mail',

  anonymous_note:
    'Cette question est anonyme\u00a0: votre enseignant voit les réponses, mais pas qui a donné quelle réponse.',

  choose_single: 'Choisissez une réponse',
  choose_any: 'Choisissez une ou plusieurs réponses',
  choose_up_to_one: 'Choisissez au plus {max} réponse',
  choose_up_to_other: 'Choisissez au plus {max} réponses',
  true_label: 'Vrai',
  false_label: 'Faux',
  rate: 'Votre note, de {min} à {max}',
  number_answer: 'Votre réponse (un nombre)',
  number_hint: 'Pour les décimales, utilisez une virgule ou un point.',
  text_answer: 'Votre réponse',
  text_limit: '{max} caractères au maximum.',
  text_count: '{count} sur {max} caractères',
  text_left: 'Encore {left} caractères possibles',
  rank: 'Classez les options, la première en haut',
  rank_hint: 'Utilisez les boutons fléchés pour monter ou descendre une option.',
  move_up: 'Monter «\u00a0{option}\u00a0»',
  move_down: 'Descendre «\u00a0{option}\u00a0»',
  moved: '«\u00a0{option}\u00a0» est maintenant en position {position}.',

  survey_note: 'Un sondage\u00a0: il n’y a pas de mauvaise réponse.',
  points_note_one: 'Jusqu’à {points} point\u00a0; les bonnes réponses rapides rapportent plus.',
  points_note_other: 'Jusqu’à {points} points\u00a0; les bonnes réponses rapides rapportent plus.',
  final_note: 'Seule votre première réponse compte.',
  submit: 'Envoyer la réponse',

  answer_received: 'Réponse reçue',
  answer_received_title: 'Réponse reçue\u00a0: {title}',
  already_answered: 'Vous avez déjà répondu',
  your_answer: 'Votre réponse\u00a0:',
  recorded: 'Merci, votre réponse est enregistrée.',
  correct_one: '✓ Bonne réponse\u00a0: {score} point',
  correct_other: '✓ Bonne réponse\u00a0: {score} points',
  partly_one: '◐ En partie juste\u00a0: {score} point',
  partly_other: '◐ En partie juste\u00a0: {score} points',
  wrong: '✗ Ce n’est pas la bonne réponse\u00a0: 0 point',
  right_answer: 'La bonne réponse\u00a0:',
  close_page: 'Vous pouvez fermer cette page.',
  anonymous_answered:
    'Votre réponse a été enregistrée anonymement\u00a0: rien ne la relie à vous, elle ne peut donc plus être affichée ici.',

  closed_title: 'Question close\u00a0: {title}',
  closed: 'Cette question est close',
  closed_body: 'Le temps de réponse est écoulé et aucune réponse n’a été enregistrée pour vous.',

  back: 'Retour à la question',
  not_found: 'Ce lien ne fonctionne pas',
  not_found_body:
    'Ce lien de réponse n’est pas valide. Vérifiez que vous avez ouvert le lien complet de votre message du chat Zoom, ou demandez à votre enseignant de le renvoyer.',
  conflict_body: 'Votre première réponse compte et ne peut plus être modifiée.',
  gone_body:
    'Le temps était écoulé quand votre réponse est arrivée\u00a0: elle n’a pas été enregistrée.',
  too_many: 'Un peu de patience',
  too_many_body: 'Trop de réponses sont venues d’ici. Votre réponse n’est pas encore enregistrée.',
  server_error: 'Un problème est survenu',
  server_error_body: 'Le serveur n’a pas pu traiter la demande. Réessayez dans un instant.',
  unavailable: 'Réessayez dans un instant',
  unavailable_body:
    'Les réponses sont inaccessibles pour le moment. Rien n’a encore été enregistré.',
  unreadable: 'Votre réponse n’a pas pu être lue',
  unreadable_body: 'Revenez en arrière, vérifiez votre réponse et envoyez-la de nouveau.',
  fix_choice: 'Choisissez l’une des options.',
  fix_choices: 'Choisissez uniquement des options de la liste, sans dépasser le maximum.',
  fix_value: 'Saisissez un nombre.',
  fix_text: 'Écrivez une réponse, pas trop longue.',
  fix_order: 'Gardez chaque option une seule fois dans la liste.',
  fix_name: 'Saisissez votre nom.',
  fix_email: 'Saisissez une adresse e-mail valide.',

  run_progress: 'Question {number} sur {total}',
  run_starting: 'Début dans un instant',
  run_starting_body: 'La première question apparaîtra ici d’elle-même. Gardez cette page ouverte.',
  run_waiting: 'En attente de la question suivante',
  run_waiting_body: 'Votre enseignant fait avancer le quiz : cette page suit d’elle-même.',
  run_time_up: 'Le temps est écoulé pour cette question',
  run_no_answer: 'Aucune réponse n’a été enregistrée pour vous à cette question.',
  run_class_results: 'Les réponses de la classe',
  run_answers_one: '{count} réponse',
  run_answers_other: '{count} réponses',
  run_right_share: '{percent} % de bonnes réponses',
  run_finish: 'Voir votre total',
  run_next: 'Question suivante',
  run_done: 'Vous avez répondu à toutes les questions',
  run_ended: 'Ce quiz est terminé',
  run_total_one: 'Votre total : {score} point',
  run_total_other: 'Votre total : {score} points',
  run_rank: 'Vous êtes à la place {rank} sur {count}.',
  run_anonymous_end: 'Vos réponses étaient anonymes : aucun score n’est conservé pour vous.',
  run_thanks: 'Merci de votre participation.',
  run_not_current: 'Cette question est terminée',
  run_not_current_body:
    'Votre réponse n’a pas été enregistrée : elle portait sur une question qui n’est plus ouverte.',
  run_go_current: 'Aller à la question en cours',
};
