import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkDocCitations, findCitations, sectionsOf } from './check-doc-citations';

// Built at run time so this file's own source cites nothing when the real check scans it.
const MD = '.' + 'md';

describe('check-doc-citations', () => {
  let root: string;

  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'doc-citations-'));
    write(`docs/guide${MD}`, '# Guide\n\n## 1. First\n\ntext\n\n## 2. Second\n\n### 2.1 Detail\n');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes when every cited file and section exists', () => {
    write(
      'src/ok.ts',
      [
        `// see docs/guide${MD} §2 and docs/guide${MD}, §2.1`,
        `/** the whole of docs/guide${MD} */`,
      ].join('\n'),
    );
    expect(checkDocCitations(root)).toEqual({ problems: [], checked: 3 });
  });

  it('fails on a cited file that does not exist, naming file and line', () => {
    write('src/a.ts', `const x = 1;\n// per docs/gone${MD} §1\n`);
    expect(checkDocCitations(root).problems).toEqual([
      {
        file: join('src', 'a.ts'),
        line: 2,
        message: `cites docs/gone${MD}, which is not in the repository`,
      },
    ]);
  });

  it('fails on a section number the cited file does not have', () => {
    write('test/b.ts', `// first line\n// second\n// per docs/guide${MD} §9\n`);
    expect(checkDocCitations(root).problems).toEqual([
      {
        file: join('test', 'b.ts'),
        line: 3,
        message: `cites docs/guide${MD} §9, which docs/guide${MD} does not have (it has §1 §2 §2.1)`,
      },
    ]);
  });

  it('fails on a file outside the repository, by absolute path or by a bare name', () => {
    write('tools/c.ts', `// /elsewhere/NOTES${MD} §3\n// NOTES${MD} §3\n`);
    expect(checkDocCitations(root).problems.map((p) => [p.line, p.message])).toEqual([
      [1, `cites /elsewhere/NOTES${MD}, which is not in the repository`],
      [2, `cites NOTES${MD}, which is not in the repository`],
    ]);
  });

  it('resolves a name beside the citing file first, then from the root', () => {
    write(`tools/sim/README${MD}`, '# Sim\n');
    write('tools/sim/d.ts', `// see README${MD}\n// and docs/guide${MD} §1\n`);
    write(`docs/other${MD}`, `See [the guide](guide${MD}) and [up](../tools/sim/README${MD}).\n`);
    expect(checkDocCitations(root).problems).toEqual([]);
  });

  it('skips URLs and lines marked to be ignored', () => {
    write(
      'bench/e.ts',
      [
        `// https://example.com/docs/missing${MD} §4`,
        `// github.com/owner/repo/blob/main/MISSING${MD}`,
        `// MISSING${MD} doc-citations: ignore`,
      ].join('\n'),
    );
    expect(checkDocCitations(root)).toEqual({ problems: [], checked: 0 });
  });

  it('reads section numbers only from headings outside code fences', () => {
    expect([...sectionsOf('## 1. A\n```\n## 2. not a heading\n```\n## §3 C\n#### 4 D\n')]).toEqual([
      '1',
      '3',
      '4',
    ]);
  });

  it('finds the section after a cited path, with or without a comma', () => {
    expect(findCitations(`a docs/x${MD} §3. b docs/y${MD}, §4 c docs/z${MD}`)).toEqual([
      { line: 1, path: `docs/x${MD}`, section: '3' },
      { line: 1, path: `docs/y${MD}`, section: '4' },
      { line: 1, path: `docs/z${MD}`, section: null },
    ]);
  });
});
