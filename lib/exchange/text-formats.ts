/**
 * The two formats written without a library: CSV (RFC 4180, for spreadsheets) and a Markdown list
 * (for notes apps and READMEs). Both take papers with their citation keys.
 */
import type { PaperRecord } from '../db';
import { paperUrl } from './csl';

const CSV_COLUMNS = [
  'key',
  'id',
  'title',
  'authors',
  'year',
  'date',
  'venue',
  'arxiv_id',
  'doi',
  'url',
  'pdf_url',
  'categories',
  'tags',
  'state',
  'saved_at',
  'note',
  'abstract',
] as const;

/**
 * A CSV cell: quoted when it holds a comma, quote or line break (quotes doubled, RFC 4180); a
 * leading = + - @ (or tab, CR) gets a `'` so a spreadsheet never runs it as a formula (OWASP).
 */
export function csvCell(v: string | number | undefined): string {
  if (v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV of papers: a header row, one row per paper, CRLF line ends, a BOM so Excel reads UTF-8. */
export function formatCsv(
  papers: readonly PaperRecord[],
  keys: ReadonlyMap<string, string>,
): string {
  const rows = papers.map((p) => {
    const cells: Record<(typeof CSV_COLUMNS)[number], string | number | undefined> = {
      key: keys.get(p.id),
      id: p.id,
      title: p.title,
      authors: p.authors.join('; '),
      year: p.year ?? (p.date ? p.date.slice(0, 4) : undefined),
      date: p.date,
      venue: p.venue,
      arxiv_id: p.arxivId,
      doi: p.doi,
      url: paperUrl(p),
      pdf_url: p.pdfUrl,
      categories: p.categories?.join('; '),
      tags: p.tags?.join('; '),
      state: p.savedAt !== undefined ? (p.state ?? 'inbox') : undefined,
      saved_at: p.savedAt !== undefined ? new Date(p.savedAt).toISOString() : undefined,
      note: p.note,
      abstract: p.abstract,
    };
    return CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',');
  });
  return `\uFEFF${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

/** Markdown text: characters that would turn into markup are backslash-escaped. */
export function mdEscape(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<>|~#&]/g, (c) => `\\${c}`);
}

/**
 * `s` as a Markdown code span: fenced by more backticks than it has in a row (an imported citation
 * key may hold one), padded with a space when it starts or ends with one (CommonMark 6.1).
 */
function codeSpan(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

const STATE_LABEL: Record<string, string> = {
  inbox: 'Inbox',
  'to-read': 'To read',
  reading: 'Reading',
  done: 'Done',
};

/** A Markdown list of papers: linked title, authors, year, venue, ids, tags, state and note. */
export function formatMarkdown(
  papers: readonly PaperRecord[],
  keys: ReadonlyMap<string, string>,
  opts: { title?: string; now?: Date } = {},
): string {
  const date = (opts.now ?? new Date()).toISOString().slice(0, 10);
  const lines = [
    `# ${mdEscape(opts.title ?? 'Paper Scout papers')}`,
    '',
    `${papers.length} ${papers.length === 1 ? 'paper' : 'papers'}, exported ${date}.`,
    '',
  ];
  for (const p of papers) {
    const url = paperUrl(p);
    const title = mdEscape(p.title);
    const head = url
      ? `[${title}](<${url.replace(/[<>\s]/g, encodeURIComponent)}>)`
      : `**${title}**`;
    const authors =
      p.authors.length > 3 ? `${p.authors.slice(0, 3).join(', ')} et al.` : p.authors.join(', ');
    const year = p.year ?? (p.date ? p.date.slice(0, 4) : undefined);
    const meta = [
      authors ? mdEscape(authors) : undefined,
      year ? `(${year})` : undefined,
      p.venue ? `*${mdEscape(p.venue)}*` : undefined,
    ].filter(Boolean);
    const ids = [
      p.arxivId ? `arXiv:${p.arxivId}` : undefined,
      p.doi ? `doi:${mdEscape(p.doi)}` : undefined,
      codeSpan(keys.get(p.id) ?? ''),
    ].filter(Boolean);
    const extra = [
      p.tags?.length
        ? `tags: ${p.tags.map((t) => `#${mdEscape(t).replace(/ /g, '-')}`).join(' ')}`
        : undefined,
      p.savedAt !== undefined ? `state: ${STATE_LABEL[p.state ?? 'inbox'] ?? p.state}` : undefined,
    ].filter(Boolean);
    lines.push(`- ${head}${meta.length ? ` — ${meta.join(' ')}` : ''}`);
    lines.push(`  ${[...ids, ...extra].join(' · ')}`);
    if (p.note) {
      for (const l of p.note.split(/\r?\n/)) lines.push(`  > ${mdEscape(l)}`.trimEnd());
    }
  }
  return `${lines.join('\n')}\n`;
}
