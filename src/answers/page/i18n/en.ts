/**
 * The answer page's own words in English: this file defines the keys, every other language
 * (one file each beside it) must give the same keys with the same `{placeholders}`
 * (i18n.spec.ts checks). Keys ending in `_one` / `_other` are plural forms, picked with
 * Intl.PluralRules. The instructor's question and options are never translated.
 */
export const en = {
  // Countdown (the script reads the last three from data attributes: it is one static file).
  time_left: 'Time left:',
  left: 'left',
  time_up: 'Time is up: answers are closed.',
  time_up_live: 'Time is up. Answers are closed.',
  seconds_left: '{seconds} seconds left',
  sending: 'Sending…',

  // Channel mode: one shared link, so the person says who they are.
  who_are_you: 'Who are you?',
  your_name: 'Your name',
  your_email: 'Your email',

  anonymous_note:
    'This question is anonymous: your instructor sees the answers, but not who gave which answer.',

  // One legend or label per kind of question.
  choose_single: 'Choose one answer',
  choose_any: 'Choose one or more answers',
  choose_up_to_one: 'Choose up to {max} answer',
  choose_up_to_other: 'Choose up to {max} answers',
  true_label: 'True',
  false_label: 'False',
  rate: 'Your rating, from {min} to {max}',
  number_answer: 'Your answer (a number)',
  number_hint: 'Use a dot or a comma for decimals.',
  text_answer: 'Your answer',
  text_limit: 'Up to {max} characters.',
  text_count: '{count} of {max} characters',
  text_left: '{left} characters left',
  rank: 'Put the options in order, the first at the top',
  rank_hint: 'Use the arrow buttons to move an option up or down.',
  move_up: 'Move “{option}” up',
  move_down: 'Move “{option}” down',
  moved: '“{option}” is now number {position}.',

  survey_note: 'A survey: there is no wrong answer.',
  points_note_one: 'Worth up to {points} point; faster right answers score more.',
  points_note_other: 'Worth up to {points} points; faster right answers score more.',
  final_note: 'Your first answer is final.',
  submit: 'Submit answer',

  // The confirmation.
  answer_received: 'Answer received',
  answer_received_title: 'Answer received: {title}',
  already_answered: 'You have already answered',
  your_answer: 'Your answer:',
  recorded: 'Thanks, your answer is recorded.',
  correct_one: '✓ Correct: {score} point',
  correct_other: '✓ Correct: {score} points',
  partly_one: '◐ Partly right: {score} point',
  partly_other: '◐ Partly right: {score} points',
  wrong: '✗ Not the right answer: 0 points',
  right_answer: 'The right answer:',
  close_page: 'You can close this page.',
  anonymous_answered:
    'Your answer was recorded anonymously: nothing links it to you, so it cannot be shown here again.',

  // Closed.
  closed_title: 'Closed: {title}',
  closed: 'This question is closed',
  closed_body: 'The time to answer has run out, and no answer was recorded for you.',

  // Error pages.
  back: 'Back to the question',
  not_found: 'This link does not work',
  not_found_body:
    'This answer link is not valid. Check that you opened the whole link from your Zoom chat message, or ask your instructor to send it again.',
  conflict_body: 'Your first answer counts and cannot be changed.',
  gone_body: 'The time to answer ran out before your answer arrived, so it was not recorded.',
  too_many: 'Slow down',
  too_many_body: 'Too many answers came from here. Your answer was not recorded yet.',
  server_error: 'Something went wrong',
  server_error_body: 'The server could not handle this. Please try again in a moment.',
  unavailable: 'Please try again in a moment',
  unavailable_body: 'The answers cannot be reached right now. Nothing was recorded yet.',
  unreadable: 'Your answer could not be read',
  unreadable_body: 'Go back, check your answer and send it again.',
  fix_choice: 'Choose one of the options.',
  fix_choices: 'Choose only options from the list, no more than allowed.',
  fix_value: 'Enter a number.',
  fix_text: 'Write an answer that is not too long.',
  fix_order: 'Keep each option in the list exactly once.',
  fix_name: 'Enter your name.',
  fix_email: 'Enter a valid email address.',

  // A run of a question set (/r/{token}, src/runs/page).
  run_progress: 'Question {number} of {total}',
  run_starting: 'Starting in a moment',
  run_starting_body: 'The first question will appear here by itself. Keep this page open.',
  run_waiting: 'Waiting for the next question',
  run_waiting_body: 'Your instructor moves the quiz on: this page follows by itself.',
  run_time_up: 'Time is up for this question',
  run_no_answer: 'No answer was recorded for you on this question.',
  run_class_results: 'How the class answered',
  run_answers_one: '{count} answer',
  run_answers_other: '{count} answers',
  run_right_share: '{percent}% answered right',
  run_finish: 'See your total',
  run_next: 'Next question',
  run_done: 'You have answered every question',
  run_ended: 'This quiz is over',
  run_total_one: 'Your total: {score} point',
  run_total_other: 'Your total: {score} points',
  run_rank: 'You are number {rank} of {count}.',
  run_anonymous_end: 'Your answers were anonymous, so no score is kept for you.',
  run_thanks: 'Thank you for taking part.',
  run_not_current: 'That question is over',
  run_not_current_body:
    'Your answer was not recorded: it was for a question that is no longer open.',
  run_go_current: 'Go to the current question',
} as const;

export type PageWordKey = keyof typeof en;
/** A language's words: exactly English's keys (the compiler refuses a missing or extra one). */
export type PageWords = Record<PageWordKey, string>;
