import { withTypeDefaults, type QuestionBody } from '../../question-types/question-types';
import {
  PageQuestion,
  renderAnsweredPage,
  renderClosedPage,
  renderMessagePage,
  renderQuestionPage,
} from './answer-page.view';
import { PageText } from './i18n/page-text';

const hostile = '<script>alert(1)</script>';
const en = new PageText('en');
const TOKEN = 'tok_abcdefghijklmnopqrstuvwxyz';

function question(body: Partial<QuestionBody>, extra: Partial<PageQuestion> = {}): PageQuestion {
  return {
    ...withTypeDefaults(body),
    title: `T ${hostile}`,
    question_text: `Q "${hostile}"`,
    time_limit: 30,
    points: 10,
    anonymous: false,
    revealed: false,
    ...extra,
  };
}

const single = question({ options: [`A ${hostile}`, 'B & C'], correct_answer: 0 });

function open(q: PageQuestion, more: Partial<Parameters<typeof renderQuestionPage>[0]> = {}) {
  return renderQuestionPage({
    token: TOKEN,
    question: q,
    text: en,
    remainingMs: 12_345,
    askIdentity: false,
    ...more,
  });
}

/** The page's text with tags dropped and spaces collapsed, to assert on what a reader reads. */
function visible(page: string): string {
  return page
    .replace(/<[^>]+>/g, ' ')
    .replace(/[ \t\n]+/g, ' ')
    .trim();
}

describe('answer page views', () => {
  it('escapes the question, options and typed values; has no inline script', () => {
    const page = open(single, {
      askIdentity: true,
      values: { name: `"><img src=x onerror=alert(1)>` },
    });
    expect(page).not.toContain(hostile);
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('B &amp; C');
    // Script only from a same-origin file (CSP script-src 'self').
    expect(page.match(/<script[^>]*>/g)).toEqual([
      expect.stringMatching(/^<script src="\/assets\/answer-page\.js\?v=[0-9a-f]{12}" defer>$/),
    ]);
  });

  it('sends the remaining milliseconds (not a wall-clock deadline) and a no-JS fallback text', () => {
    const page = open(single, { remainingMs: 65_400 });
    expect(page).toContain('data-remaining-ms="65400"');
    expect(page).toContain('data-time-limit-ms="30000"');
    expect(page).toContain('>1:06<');
    expect(page).toMatch(new RegExp(`method="post"\\s+action="/q/${TOKEN}/answer"`));
    expect(page).not.toContain('name="email"');
  });

  it('single: labelled radios in a fieldset with a legend', () => {
    const page = open(single, { askIdentity: true });
    expect(page).toMatch(/<fieldset>\s*<legend>Choose one answer<\/legend>/);
    expect(
      page.match(/<label class="option"\s*><input\s+type="radio"\s+name="choice"/g),
    ).toHaveLength(2);
    expect(page).toContain('<label for="name">Your name</label>');
    expect(page).toContain('<label for="email">Your email</label>');
    expect(page).toContain('name="viewport"');
    expect(page).toContain('<html lang="en">');
  });

  it('true_false: the fixed options in the reader language, answered as `choice`', () => {
    const page = renderQuestionPage({
      token: TOKEN,
      question: question({ type: 'true_false', correct_answer: 1 }),
      text: new PageText('es'),
      remainingMs: 1000,
      askIdentity: false,
    });
    expect(page).toContain('<html lang="es">');
    expect(page).toMatch(/name="choice"\s+value="0"[^>]*\/><span[^>]*>Verdadero<\/span/);
    expect(page).toMatch(/name="choice"\s+value="1"[^>]*\/><span[^>]*>Falso<\/span/);
    expect(page).not.toContain('>True<');
  });

  it('multiple: checkboxes named `choices`, and the limit in the legend when there is one', () => {
    const q = question({ type: 'multiple', options: ['A', 'B', 'C'], correct_answers: [0, 2] });
    const any = open(q);
    expect(any.match(/type="checkbox"\s+name="choices"/g)).toHaveLength(3);
    expect(any).toContain('<legend>Choose one or more answers</legend>');
    expect(open({ ...q, max_choices: 2 })).toContain('<legend>Choose up to 2 answers</legend>');
    expect(open({ ...q, max_choices: 1 })).toContain('<legend>Choose up to 1 answer</legend>');
    expect(
      renderQuestionPage({
        token: TOKEN,
        question: { ...q, max_choices: 2 },
        text: new PageText('de'),
        remainingMs: 1,
        askIdentity: false,
      }),
    ).toContain('<legend>Wählen Sie höchstens 2 Antworten</legend>');
  });

  it('rating: one radio per point named `value`, the end labels in the accessible names', () => {
    const page = open(
      question({
        type: 'rating',
        scale: { min: 1, max: 5, min_label: 'Poor', max_label: 'Great' },
      }),
    );
    expect(page.match(/type="radio"\s+name="value"/g)).toHaveLength(5);
    expect(page).toMatch(/<legend>\s*Your rating, from 1 to 5\s*<\/legend>/);
    expect(page).toMatch(/value="1"[^>]*\/><span\s*>1<span class="sr-only"> \(Poor\)<\/span>/);
    expect(page).toMatch(/value="5"[^>]*\/><span\s*>5<span class="sr-only"> \(Great\)<\/span>/);
    expect(page).toContain('A survey: there is no wrong answer.');
    // Unlabelled scale: numbers only, no empty label row.
    const bare = open(question({ type: 'rating', scale: { min: 0, max: 10 } as never }));
    expect(bare.match(/name="value"/g)).toHaveLength(11);
    expect(bare).not.toContain('scale-ends');
  });

  it('numeric: a decimal text input (comma or dot) with its unit', () => {
    const page = open(
      question({ type: 'numeric', correct_value: 3.5, tolerance: 0.1, unit: 'km' }),
    );
    expect(page).toMatch(/name="value"\s+type="text"\s+inputmode="decimal"/);
    expect(page).not.toContain('type="number"');
    expect(page).toContain('<span class="unit" id="value-unit">km</span>');
    expect(page).toContain('aria-describedby="value-unit value-hint"');
    expect(page).toContain('Use a dot or a comma for decimals.');
  });

  it('text: a textarea whose maxlength holds without JavaScript, and a polite count', () => {
    const page = open(question({ type: 'text', max_length: 140 }));
    expect(page).toMatch(/<textarea\s+id="text"\s+name="text"[^>]*maxlength="140"/);
    expect(page).toContain('Up to 140 characters.');
    expect(page).toContain('data-template="{count} of 140 characters"');
    expect(page).toMatch(/id="text-count-live"\s+aria-live="polite"/);
    // Without a max_length of its own, the global limit.
    expect(open(question({ type: 'text' }))).toContain('maxlength="500"');
  });

  it('ranking: the options in a list with up/down buttons that work by GET without JavaScript', () => {
    const q = question({ type: 'ranking', options: ['A', 'B', 'C'], correct_order: [2, 0, 1] });
    const page = open(q);
    expect(page.match(/<input type="hidden" name="order" value="(\d)"/g)).toEqual([
      '<input type="hidden" name="order" value="0"',
      '<input type="hidden" name="order" value="1"',
      '<input type="hidden" name="order" value="2"',
    ]);
    expect(
      page.match(/formmethod="get"\s+formaction="\/q\/tok_abcdefghijklmnopqrstuvwxyz"/g),
    ).toHaveLength(6);
    expect(page).toContain('value="up:1"');
    expect(page).toContain('Move “B” up');
    // The top item cannot go up, the last cannot go down.
    expect(page).toMatch(/value="up:0"[^>]*disabled/);
    expect(page).toMatch(/value="down:2"[^>]*disabled/);
    expect(page).not.toMatch(/value="down:0"[^>]*disabled/);
    // The real submit comes first (hidden): Enter in a text field must not move an item.
    expect(page.indexOf('<button type="submit" hidden')).toBeLessThan(page.indexOf('class="move"'));

    const moved = open(q, { values: { order: [1, 0, 2] }, moved: { option: 1, direction: 'up' } });
    expect(moved.match(/name="order" value="(\d)"/g)).toEqual([
      'name="order" value="1"',
      'name="order" value="0"',
      'name="order" value="2"',
    ]);
    // B reached the top, so its up button is disabled and its down button has the focus.
    expect(moved).toMatch(/value="down:1"[^>]*autofocus/);
    expect(moved.match(/autofocus/g)).toHaveLength(1);
    const middle = open(q, { values: { order: [0, 2, 1] }, moved: { option: 2, direction: 'up' } });
    expect(middle).toMatch(/value="up:2"[^>]*autofocus/);
  });

  it('says plainly before the form that an anonymous question hides who answered', () => {
    const page = open({ ...single, anonymous: true });
    expect(page).toContain('your instructor sees the answers, but not who gave which answer');
    expect(page.indexOf('anonymous-note')).toBeLessThan(page.indexOf('<form'));
    expect(open(single)).not.toContain('anonymous-note');
    const fr = renderQuestionPage({
      token: TOKEN,
      question: { ...single, anonymous: true },
      text: new PageText('fr'),
      remainingMs: 1,
      askIdentity: false,
    });
    expect(fr).toContain('Cette question est anonyme');
  });

  it('the confirmation states the result without naming the right option', () => {
    const page = renderAnsweredPage({
      question: single,
      text: en,
      answer: { choice: 1 },
      correct: false,
      score: 0,
      justAnswered: true,
    });
    expect(page).toContain('Answer received');
    expect(page).toContain('B. B &amp; C');
    expect(page).toContain('Not the right answer');
    expect(page).not.toContain('revealed-answer');
  });

  it('an anonymous answer opened again: answered, but not shown (nothing links it to the link)', () => {
    const page = renderAnsweredPage({
      question: { ...single, anonymous: true },
      text: new PageText('es'),
      answer: null,
      correct: null,
      score: 0,
      justAnswered: false,
    });
    expect(page).toContain('Ya has respondido');
    expect(page).toContain('Tu respuesta se registró de forma anónima');
    expect(page).not.toContain('your-choice');
  });

  it.each([
    [
      'multiple',
      question({ type: 'multiple', options: ['Paris', 'Rome', 'Oslo'], correct_answers: [0, 1] }),
      { choices: [0, 2] },
      'Paris; Oslo',
    ],
    ['rating', question({ type: 'rating', scale: { min: 1, max: 5 } as never }), { value: 4 }, '4'],
    [
      'numeric',
      question({ type: 'numeric', correct_value: 3.5, unit: 'km' }),
      { value: 3.25 },
      '3.25 km',
    ],
    ['text', question({ type: 'text' }), { text: `Hi ${hostile}` }, 'Hi &lt;script&gt;'],
    [
      'ranking',
      question({ type: 'ranking', options: ['A', 'B', 'C'] }),
      { order: [1, 0, 2] },
      '1. B, 2. A, 3. C',
    ],
    ['true_false', question({ type: 'true_false', correct_answer: 0 }), { choice: 0 }, 'True'],
  ])('the confirmation repeats a %s answer', (_type, q, answer, words) => {
    const page = renderAnsweredPage({
      question: q,
      text: en,
      answer,
      correct: null,
      score: 0,
      justAnswered: true,
    });
    expect(page).toMatch(
      new RegExp(`<strong id="your-choice">${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });

  it('formats numbers for the language: German decimal comma, French points', () => {
    const numeric = question({ type: 'numeric', correct_value: 3.5, unit: 'km' });
    const de = renderAnsweredPage({
      question: numeric,
      text: new PageText('de'),
      answer: { value: 1234.5 },
      correct: true,
      score: 8.5,
      justAnswered: true,
    });
    expect(de).toContain('<html lang="de">');
    expect(visible(de)).toContain('Ihre Antwort: 1.234,5 km');
    expect(visible(de)).toContain('✓ Richtig: 8,5 Punkte');
    const partly = renderAnsweredPage({
      question: question({ type: 'multiple', options: ['A', 'B'], correct_answers: [0, 1] }),
      text: new PageText('fr'),
      answer: { choices: [0] },
      correct: false,
      score: 4.5,
      justAnswered: false,
    });
    expect(visible(partly)).toContain('En partie juste\u00a0: 4,5 points');
    expect(visible(partly)).toContain('Vous avez déjà répondu');
  });

  it('shows the right answer once revealed, per type, in words', () => {
    const cases: [PageQuestion, string][] = [
      [{ ...single, revealed: true }, 'A. A &lt;script&gt;'],
      [
        question({ type: 'true_false', correct_answer: 1 }, { revealed: true }),
        'The right answer: <strong>False</strong>',
      ],
      [
        question(
          { type: 'multiple', options: ['A', 'B', 'C'], correct_answers: [0, 2] },
          { revealed: true },
        ),
        '<strong>A; C</strong>',
      ],
      [
        question(
          { type: 'numeric', correct_value: 3.5, tolerance: 0.25, unit: 'km' },
          { revealed: true },
        ),
        '<strong>3.5 km (± 0.25)</strong>',
      ],
      [
        question({ type: 'text', accepted_answers: ['Paris', 'paris city'] }, { revealed: true }),
        '<strong>Paris / paris city</strong>',
      ],
      [
        question(
          { type: 'ranking', options: ['A', 'B', 'C'], correct_order: [2, 0, 1] },
          { revealed: true },
        ),
        '<strong>1. C, 2. A, 3. B</strong>',
      ],
    ];
    for (const [q, expected] of cases) {
      const page = renderClosedPage(q, en);
      expect([q.type, page.replace(/\s+/g, ' ')]).toEqual([
        q.type,
        expect.stringContaining(expected),
      ]);
    }
    // Nothing to reveal: not revealed yet, a survey, a rating.
    expect(renderClosedPage(single, en)).not.toContain('revealed-answer');
    expect(
      renderClosedPage(
        question(
          { type: 'multiple', options: ['A', 'B'], correct_answers: [] },
          { revealed: true },
        ),
        en,
      ),
    ).not.toContain('revealed-answer');
  });

  it('escapes message pages too, and links back in the page language', () => {
    expect(renderMessagePage({ text: en, title: hostile, message: hostile })).not.toContain(
      hostile,
    );
    const pt = renderMessagePage({
      text: new PageText('pt'),
      title: 'x',
      message: 'y',
      backHref: `/q/${TOKEN}`,
    });
    expect(pt).toContain('<html lang="pt">');
    expect(pt).toContain(`<a href="/q/${TOKEN}">Voltar à pergunta</a>`);
  });
});

describe('the question page under another base path (a run page, /r/{token})', () => {
  const ranking = question({ type: 'ranking', options: ['x', 'y', 'z'] });

  it('posts to and moves within the base path, with the hidden fields and the frame', () => {
    const page = open(ranking, {
      basePath: `/r/${TOKEN}`,
      hiddenFields: { question_id: `id"${hostile}` },
      frame: {
        scripts: ['/assets/run-page.js?v=1'],
        data: { 'run-version': '7', 'bad name!': 'x' },
      },
    });
    expect(page).toMatch(new RegExp(`method="post"\\s+action="/r/${TOKEN}/answer"`));
    expect(page).not.toContain(`/q/${TOKEN}`);
    expect(page.match(/formaction="\/r\/tok_abcdefghijklmnopqrstuvwxyz"/g)).toHaveLength(6);
    // Escaped like every value on the page.
    expect(page).toContain(
      '<input type="hidden" name="question_id" value="id&quot;&lt;script&gt;alert(1)&lt;/script&gt;" />',
    );
    expect(page).toContain('<script src="/assets/run-page.js?v=1" defer></script>');
    expect(page).toContain('data-run-version="7"');
    expect(page).toContain('data-badname="x"');
  });
});
