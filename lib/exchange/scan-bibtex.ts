/**
 * Finds the entries of a BibTeX file (without reading their fields) so they can be parsed in
 * chunks with progress, and errors can name the entry and line. Structural problems a parser would
 * report late or confusingly are caught here: an entry not closed before the next one starts, a
 * file cut off inside an entry, braces nested absurdly deep (a hostile file meant to blow a stack).
 *
 * Follows BibTeX's own reading: text outside entries is a comment, `@comment{…}` is skipped, and
 * `@string`/`@preamble` are kept (every chunk gets the `@string`s, which later entries may use).
 */
import { formatCount, formatPosition } from '../count';
import { ExchangeError } from './errors';

/** One entry's place in the file. */
export interface BibSpan {
  /** 1-based number among the file's entries (not counting @string, @preamble, @comment). */
  n: number;
  type: string;
  key: string;
  start: number;
  end: number;
  /** 1-based line where the entry starts. */
  line: number;
}

/** The file's entries and its `@string` / `@preamble` blocks. */
export interface BibScan {
  entries: BibSpan[];
  /** Text of every @string and @preamble block, in order. */
  macros: string;
  /** The @string macros (lower-case name → raw value), for `readFields`. */
  strings: Map<string, string>;
}

/** Deepest brace nesting accepted (real files stay below 10). */
export const MAX_BRACE_DEPTH = 100;

const ENTRY_START = /@[ \t]*([A-Za-z][\w-]*)[ \t\r\n]*([{(])/y;
const SPECIAL_BRACES = /[{}\\\n@]/g;
const SPECIAL_PARENS = /[{}()\\\n@]/g;
const BLANK = /[ \t\r]*/y;

/** Scans `text` for entries. Throws ExchangeError naming the entry and line when it is broken. */
export function scanBibtex(text: string): BibScan {
  const entries: BibSpan[] = [];
  const macros: string[] = [];
  const strings = new Map<string, string>();
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 10) {
      line++;
      i++;
      continue;
    }
    if (ch !== 64 /* @ */) {
      i++;
      continue;
    }
    ENTRY_START.lastIndex = i;
    const m = ENTRY_START.exec(text);
    if (!m) {
      i++;
      continue;
    }
    const type = m[1]!.toLowerCase();
    const open = m[2]!;
    const close = open === '{' ? '}' : ')';
    const startLine = line;
    const start = i;
    let j = i + m[0].length;
    for (let k = i; k < j; k++) if (text.charCodeAt(k) === 10) line++;
    const keyMatch = /^[ \t\r\n]*([^,\s{}()]*)/.exec(text.slice(j, j + 300));
    const key = keyMatch?.[1] ?? '';
    const label = () =>
      type === 'comment' || type === 'string' || type === 'preamble'
        ? `@${type} block (line ${formatPosition(startLine)})`
        : `Entry ${formatPosition(entries.length + 1)} (${key ? `“${key.slice(0, 60)}”, ` : ''}line ${formatPosition(startLine)})`;
    let depth = 1;
    let lineStart = false;
    let lineFrom = 0; // index after the last line break seen
    const parens = open === '(';
    const checkAt = type !== 'comment';
    // From one character that matters (braces, a backslash, a line break, an @) to the next: a
    // native search skips the plain text between them (most of an abstract) in one step.
    const special = parens ? SPECIAL_PARENS : SPECIAL_BRACES;
    while (depth > 0) {
      special.lastIndex = j;
      // test, not exec: the index is all that is needed, and no match array is made per brace.
      if (!special.test(text)) {
        j = n;
        break;
      }
      const k = special.lastIndex - 1;
      j = k + 1;
      const c = text.charCodeAt(k);
      if (c === 10 /* \n */) {
        line++;
        lineStart = true;
        lineFrom = j;
        continue;
      }
      if (lineStart && k > lineFrom) {
        // Still at the start of the line only if nothing but spaces came since the line break.
        BLANK.lastIndex = lineFrom;
        BLANK.test(text);
        if (BLANK.lastIndex < k) lineStart = false;
      }
      if (c === 64 /* @ */ && lineStart && depth === 1 && checkAt) {
        ENTRY_START.lastIndex = k;
        if (ENTRY_START.test(text)) {
          throw new ExchangeError(
            `${label()} is not closed: a “${close}” is missing before line ${formatPosition(line)}, where the next entry starts.`,
            startLine,
          );
        }
      }
      lineStart = false;
      if (c === 92 /* \ */) {
        // An escaped brace (\{ \}) is text, not structure.
        const d = text.charCodeAt(k + 1);
        if (d === 123 || d === 125) j++;
        continue;
      }
      if (c === 123 /* { */ || (parens && c === 40) /* ( */) {
        depth++;
        if (depth > MAX_BRACE_DEPTH) {
          throw new ExchangeError(
            `${label()} nests braces more than ${formatCount(MAX_BRACE_DEPTH)} deep at line ${formatPosition(line)}; this is not a bibliography.`,
            line,
          );
        }
      } else if (c === 125 /* } */ || (parens && c === 41) /* ) */) depth--;
    }
    if (depth > 0) {
      throw new ExchangeError(
        `${label()} is not closed before the end of the file (a “${close}” is missing): the file looks cut off.`,
        startLine,
      );
    }
    if (type === 'string' || type === 'preamble') {
      macros.push(text.slice(start, j));
      const f =
        type === 'string'
          ? readFields(text, { n: 0, type, key: '', start, end: j, line: startLine }, strings, true)
          : null;
      if (f) for (const [k, v] of Object.entries(f.properties)) strings.set(k, v);
    } else if (type !== 'comment') {
      entries.push({ n: entries.length + 1, type, key, start, end: j, line: startLine });
    }
    i = j;
  }
  if (!entries.length) {
    throw new ExchangeError(
      'No BibTeX entries found. A BibTeX file has entries like “@article{key, title = {…}, …}”.',
    );
  }
  return { entries, macros: macros.join('\n'), strings };
}

/** An entry's fields as written (values without their outer braces or quotes, macros expanded). */
export interface RawEntry {
  type: string;
  label: string;
  /** Lower-case field name → raw value (still LaTeX). */
  properties: Record<string, string>;
}

const NAME = /[^\s=,{}()"#%]+/y;
const BRACE_OR_ESCAPE = /[{}\\]/g;

/**
 * Splits one entry into its fields without interpreting LaTeX: `name = {value}`, `"value"`,
 * numbers, macros (`strings`, and `jan`…`dec`) and `#` concatenation. Returns null for anything it
 * does not expect, so the caller can let Citation.js read (and name the error of) that entry.
 * @param noKey an `@string{name = value}` block (no citation key before the fields)
 */
export function readFields(
  text: string,
  span: BibSpan,
  strings: ReadonlyMap<string, string>,
  noKey = false,
): RawEntry | null {
  const open = /[{(]/g;
  open.lastIndex = span.start;
  const om = open.exec(text);
  if (!om || om.index >= span.end) return null;
  let i = om.index + 1;
  const end = span.end - 1; // index of the closing delimiter
  const ws = () => {
    // Space, tab, line breaks first (nearly all white space in files); \s for the rest.
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 32 || (c >= 9 && c <= 13)) continue;
      if (c < 128 || !/\s/.test(text[i]!)) break;
    }
  };
  let label = '';
  if (!noKey) {
    const c = text.indexOf(',', i);
    if (c === -1 || c > end) {
      // An entry with a key and no fields.
      label = text.slice(i, end).trim();
      return /^[^\s,{}]*$/.test(label) ? { type: span.type, label, properties: {} } : null;
    }
    label = text.slice(i, c).trim();
    if (/[\s{}]/.test(label)) return null;
    i = c + 1;
  }
  const properties: Record<string, string> = {};
  for (;;) {
    ws();
    while (i < end && text[i] === ',') {
      i++;
      ws();
    }
    if (i >= end) break;
    NAME.lastIndex = i;
    if (!NAME.test(text)) return null;
    const name = text.slice(i, NAME.lastIndex).toLowerCase();
    i = NAME.lastIndex;
    ws();
    if (text[i] !== '=') return null;
    i++;
    let value = '';
    for (;;) {
      ws();
      const c = text[i];
      if (c === '{') {
        let depth = 1;
        const s = ++i;
        // From brace or backslash to the next (a native search skips the text between).
        while (depth > 0) {
          BRACE_OR_ESCAPE.lastIndex = i;
          const at = BRACE_OR_ESCAPE.test(text) ? BRACE_OR_ESCAPE.lastIndex - 1 : -1;
          if (at < 0 || at >= end) {
            i = end;
            break;
          }
          const d = text.charCodeAt(at);
          i = at + (d === 92 /* \\ */ ? 2 : 1);
          if (d === 123 /* { */) depth++;
          else if (d === 125 /* } */) depth--;
        }
        if (i > end) i = end;
        if (depth) return null;
        value += text.slice(s, i - 1);
      } else if (c === '"') {
        let depth = 0;
        const s = ++i;
        for (; i < end && !(text[i] === '"' && depth === 0); i++) {
          if (text[i] === '\\') i++;
          else if (text[i] === '{') depth++;
          else if (text[i] === '}') depth--;
        }
        if (i >= end) return null;
        value += text.slice(s, i);
        i++;
      } else {
        NAME.lastIndex = i;
        if (!NAME.test(text)) return null;
        const word = text.slice(i, NAME.lastIndex);
        i = NAME.lastIndex;
        if (/^\d+$/.test(word)) value += word;
        else {
          const v = strings.get(word.toLowerCase());
          if (v === undefined) return null;
          value += v;
        }
      }
      ws();
      if (text[i] === '#') {
        i++;
        continue;
      }
      break;
    }
    properties[name] = value;
    ws();
    if (i < end && text[i] !== ',') return null;
  }
  return { type: span.type, label, properties };
}
