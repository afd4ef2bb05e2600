/**
 * Fails when a comment or a document cites a doc that is not in the repository: a path ending in
 * `.md` (resolved against the citing file's folder, then the repository root) that does not
 * exist, or a `§N` after it that names a section the target does not have. A section is a
 * Markdown heading that starts with its number (`## 3. Webhooks`, `## §3 Webhooks`).
 *
 * Run by `npm run lint` (`ts-node --transpile-only scripts/check-doc-citations.ts [root]`); it
 * prints each broken citation as `file:line` and exits 1. URLs (with or without a scheme) are not
 * citations and are skipped, as is any line containing the marker `doc-citations: ignore`.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';

/** Folders scanned (recursively) besides the files at the repository root. */
export const SCANNED_DIRS = ['src', 'test', 'tools', 'bench', 'scripts', 'docs'];

const SKIPPED_DIRS = new Set([
  'node_modules',
  'dist',
  'coverage',
  'target',
  'test-results',
  '.git',
  '.data',
]);

const TEXT_EXTENSIONS = new Set([
  '.ts',
  '.js',
  '.mjs',
  '.cjs',
  '.java',
  '.sh',
  '.py',
  '.md',
  '.yml',
  '.yaml',
  '.xml',
]);
const TEXT_NAMES = new Set(['Dockerfile', '.env.example']);

const IGNORE_MARKER = 'doc-citations: ignore';

/**
 * A path ending in `.md` (relative, or absolute: an absolute path is outside the repository and
 * so always reported), not preceded by anything that would make it the tail of a URL or of a
 * longer word, optionally followed by `§N` (or `, §N`).
 */
const CITATION =
  /(?<![\w/.:@%~\\-])(\/?(?:[\w.-]+\/)*[\w-][\w.-]*\.md)\b(?:[ \t]*,?[ \t]*§[ \t]?(\d+(?:\.\d+)*))?/g;

/** `github.com/…` and the like: a URL written without its scheme, not a path. */
const HOST_FIRST = /^(?:[a-z0-9-]+\.)+[a-z]{2,}\//i;

/** A heading that opens a numbered section: `## 3. Title`, `### 3.2 Title`, `## §3 Title`. */
const SECTION_HEADING = /^#{1,6}[ \t]+(?:§[ \t]?)?(\d+(?:\.\d+)*)(?=[.):\s]|$)/;

export interface Citation {
  line: number;
  path: string;
  section: string | null;
}

export interface Problem {
  file: string;
  line: number;
  message: string;
}

/** Every doc citation in a text, with its 1-based line. */
export function findCitations(text: string): Citation[] {
  const found: Citation[] = [];
  text.split('\n').forEach((content, index) => {
    if (content.includes(IGNORE_MARKER)) return;
    for (const match of content.matchAll(CITATION)) {
      if (HOST_FIRST.test(match[1])) continue;
      found.push({ line: index + 1, path: match[1], section: match[2] ?? null });
    }
  });
  return found;
}

/** The section numbers a Markdown document's headings define. */
export function sectionsOf(markdown: string): Set<string> {
  const sections = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const match = SECTION_HEADING.exec(line);
    if (match) sections.add(match[1]);
  }
  return sections;
}

/** Text files to scan: the root's own files and everything under SCANNED_DIRS. */
export function filesToScan(root: string): string[] {
  const files: string[] = [];
  const isText = (name: string) => TEXT_EXTENSIONS.has(extname(name)) || TEXT_NAMES.has(name);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(join(dir, entry.name));
      } else if (entry.isFile() && isText(entry.name)) {
        files.push(join(dir, entry.name));
      }
    }
  };
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isFile() && isText(entry.name)) files.push(join(root, entry.name));
  }
  for (const dir of SCANNED_DIRS) {
    const path = join(root, dir);
    if (existsSync(path) && statSync(path).isDirectory()) walk(path);
  }
  return files.sort();
}

/** The cited file: beside the citing file first, then from the repository root; never outside it. */
function resolveCited(root: string, citingFile: string, cited: string): string | null {
  for (const base of [dirname(citingFile), root]) {
    const candidate = resolve(base, cited);
    const inside = candidate === root || candidate.startsWith(root + sep);
    if (inside && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Checks every citation under `root`; an empty list means every cited doc and section exists. */
export function checkDocCitations(rootDir: string): { problems: Problem[]; checked: number } {
  const root = resolve(rootDir);
  const sectionCache = new Map<string, Set<string>>();
  const problems: Problem[] = [];
  let checked = 0;
  for (const file of filesToScan(root)) {
    const shown = relative(root, file);
    for (const citation of findCitations(readFileSync(file, 'utf8'))) {
      checked++;
      const target = resolveCited(root, file, citation.path);
      if (target === null) {
        problems.push({
          file: shown,
          line: citation.line,
          message: `cites ${citation.path}, which is not in the repository`,
        });
        continue;
      }
      if (citation.section === null) continue;
      let sections = sectionCache.get(target);
      if (!sections) {
        sections = sectionsOf(readFileSync(target, 'utf8'));
        sectionCache.set(target, sections);
      }
      if (!sections.has(citation.section)) {
        const known = [...sections].map((s) => `§${s}`).join(' ') || 'no numbered sections';
        problems.push({
          file: shown,
          line: citation.line,
          message: `cites ${citation.path} §${citation.section}, which ${relative(root, target)} does not have (it has ${known})`,
        });
      }
    }
  }
  return { problems, checked };
}

if (require.main === module) {
  const root = process.argv[2] ?? resolve(__dirname, '..');
  const { problems, checked } = checkDocCitations(root);
  for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}`);
  if (problems.length > 0) {
    console.error(`doc citations: ${problems.length} of ${checked} point at nothing`);
    process.exit(1);
  }
  console.log(`doc citations: all ${checked} point at files and sections in the repository`);
}
