import { escapeHtml, html } from './html';

describe('html escaping', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;',
    );
  });

  it('escapes interpolations but not nested html fragments', () => {
    const name = '<img src=x onerror=alert(1)>';
    const inner = html`<b>${name}</b>`;
    expect(html`<p title="${'" onmouseover="x'}">${inner}</p>`.value).toBe(
      '<p title="&quot; onmouseover=&quot;x"><b>&lt;img src=x onerror=alert(1)&gt;</b></p>',
    );
  });

  it('renders arrays, numbers and drops null/false', () => {
    expect(html`${[html`<i>${1}</i>`, null, false, 'a&b']}`.value).toBe('<i>1</i>a&amp;b');
  });
});
