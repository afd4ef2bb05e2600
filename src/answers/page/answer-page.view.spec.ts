import { renderAnsweredPage, renderMessagePage, renderQuestionPage } from './answer-page.view';

const hostile = '<script>alert(1)</script>';
const question = {
  title: `T ${hostile}`,
  question_text: `Q "${hostile}"`,
  options: [`A ${hostile}`, 'B & C'],
  time_limit: 30,
  points: 10,
  survey: false,
  revealed_answer: null,
};

describe('answer page views', () => {
  it('escapes the question, options and typed values; has no inline script', () => {
    const page = renderQuestionPage({
      token: 'tok_abcdefghijklmnopqrstuvwxyz',
      question,
      remainingMs: 12_345,
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
    const page = renderQuestionPage({
      token: 'tok_abcdefghijklmnopqrstuvwxyz',
      question,
      remainingMs: 65_400,
      askIdentity: false,
    });
    expect(page).toContain('data-remaining-ms="65400"');
    expect(page).toContain('data-time-limit-ms="30000"');
    expect(page).toContain('>1:06<');
    expect(page).toContain('method="post" action="/q/tok_abcdefghijklmnopqrstuvwxyz/answer"');
    expect(page).not.toContain('name="email"');
  });

  it('labels every option and groups them in a fieldset with a legend', () => {
    const page = renderQuestionPage({
      token: 'x'.repeat(43),
      question,
      remainingMs: 1,
      askIdentity: true,
    });
    expect(page).toMatch(/<fieldset>\s*<legend>Choose one answer<\/legend>/);
    expect(
      page.match(/<label class="option"\s*><input\s+type="radio"\s+name="choice"/g),
    ).toHaveLength(2);
    expect(page).toContain('<label for="name">Your name</label>');
    expect(page).toContain('<label for="email">Your email</label>');
    expect(page).toContain('name="viewport"');
  });

  it('the confirmation states the result without naming the right option', () => {
    const page = renderAnsweredPage({
      question,
      choice: 1,
      correct: false,
      score: 0,
      justAnswered: true,
    });
    expect(page).toContain('Answer received');
    expect(page).toContain('B. B &amp; C');
    expect(page).toContain('Not the right answer');
  });

  it('escapes message pages too', () => {
    expect(renderMessagePage({ title: hostile, message: hostile })).not.toContain(hostile);
  });
});
