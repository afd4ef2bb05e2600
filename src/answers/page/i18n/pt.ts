import type { PageWords } from './en';

/**
 * Portuguese, Brazilian spelling (the larger audience), worded to read naturally in Portugal too
 * where that costs nothing ("a sua resposta"). Keys and placeholders as in en.ts.
 */
export const pt: PageWords = {
  time_left: 'Tempo restante:',
  left: 'restantes',
  time_up: 'O tempo acabou: as respostas estão encerradas.',
  time_up_live: 'O tempo acabou. As respostas estão encerradas.',
  seconds_left: 'Faltam {seconds} segundos',
  sending: 'Enviando…',

  who_are_you: 'Quem é você?',
  your_name: 'O seu nome',
  your_email: 'O seu e-mail',

  anonymous_note:
    'Esta pergunta é anônima: o professor vê as respostas, mas não quem deu cada resposta.',

  choose_single: 'Escolha uma resposta',
  choose_any: 'Escolha uma ou mais respostas',
  choose_up_to_one: 'Escolha no máximo {max} resposta',
  choose_up_to_other: 'Escolha no máximo {max} respostas',
  true_label: 'Verdadeiro',
  false_label: 'Falso',
  rate: 'A sua avaliação, de {min} a {max}',
  number_answer: 'A sua resposta (um número)',
  number_hint: 'Use vírgula ou ponto para as casas decimais.',
  text_answer: 'A sua resposta',
  text_limit: 'Até {max} caracteres.',
  text_count: '{count} de {max} caracteres',
  text_left: 'Restam {left} caracteres',
  rank: 'Ordene as opções, a primeira no topo',
  rank_hint: 'Use os botões de seta para subir ou descer uma opção.',
  move_up: 'Subir “{option}”',
  move_down: 'Descer “{option}”',
  moved: '“{option}” está agora na posição {position}.',

  survey_note: 'Uma enquete: não há resposta errada.',
  points_note_one: 'Vale até {points} ponto; respostas certas mais rápidas valem mais.',
  points_note_other: 'Vale até {points} pontos; respostas certas mais rápidas valem mais.',
  final_note: 'A sua primeira resposta é definitiva.',
  submit: 'Enviar resposta',

  answer_received: 'Resposta recebida',
  answer_received_title: 'Resposta recebida: {title}',
  already_answered: 'Você já respondeu',
  your_answer: 'A sua resposta:',
  recorded: 'Obrigado, a sua resposta foi registrada.',
  correct_one: '✓ Certo: {score} ponto',
  correct_other: '✓ Certo: {score} pontos',
  partly_one: '◐ Parcialmente certo: {score} ponto',
  partly_other: '◐ Parcialmente certo: {score} pontos',
  wrong: '✗ Não é a resposta certa: 0 pontos',
  right_answer: 'A resposta certa:',
  close_page: 'Já pode fechar esta página.',
  anonymous_answered:
    'A sua resposta foi registrada de forma anônima: nada a liga a você, por isso ela não pode ser mostrada aqui de novo.',

  closed_title: 'Encerrada: {title}',
  closed: 'Esta pergunta está encerrada',
  closed_body: 'O tempo para responder acabou e nenhuma resposta sua foi registrada.',

  back: 'Voltar à pergunta',
  not_found: 'Este link não funciona',
  not_found_body:
    'Este link de resposta não é válido. Verifique se abriu o link completo da mensagem do chat do Zoom ou peça ao professor que o envie de novo.',
  conflict_body: 'A sua primeira resposta é a que conta e não pode ser alterada.',
  gone_body: 'O tempo acabou antes de a sua resposta chegar, por isso ela não foi registrada.',
  too_many: 'Mais devagar',
  too_many_body: 'Chegaram respostas demais daqui. A sua resposta ainda não foi registrada.',
  server_error: 'Algo deu errado',
  server_error_body: 'O servidor não conseguiu processar o pedido. Tente de novo daqui a pouco.',
  unavailable: 'Tente de novo daqui a pouco',
  unavailable_body: 'As respostas estão inacessíveis agora. Nada foi registrado ainda.',
  unreadable: 'Não foi possível ler a sua resposta',
  unreadable_body: 'Volte, verifique a sua resposta e envie-a de novo.',
  fix_choice: 'Escolha uma das opções.',
  fix_choices: 'Escolha apenas opções da lista, sem passar do máximo.',
  fix_value: 'Digite um número.',
  fix_text: 'Escreva uma resposta que não seja longa demais.',
  fix_order: 'Deixe cada opção na lista exatamente uma vez.',
  fix_name: 'Digite o seu nome.',
  fix_email: 'Digite um e-mail válido.',
};
