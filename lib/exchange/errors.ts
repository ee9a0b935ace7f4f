/**
 * An import file that cannot be read: the message names what is wrong and where (entry, line),
 * in words a person can act on. Nothing is written when one is thrown.
 */
export class ExchangeError extends Error {
  override name = 'ExchangeError';
  constructor(
    message: string,
    /** 1-based line of the problem, when known. */
    readonly line?: number,
  ) {
    super(message);
  }
}

/** 1-based line and column of character offset `pos` in `text`. */
export function lineCol(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: pos - last };
}

/** The text of line `line` (1-based), trimmed to `max` characters, for error messages. */
export function lineText(text: string, line: number, max = 80): string {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const i = text.indexOf('\n', start);
    if (i === -1) return '';
    start = i + 1;
  }
  const end = text.indexOf('\n', start);
  const s = text
    .slice(start, end === -1 ? undefined : end)
    .replace(/\r$/, '')
    .trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * Where JSON text stops being valid (character offset), for messages: JavaScript engines say
 * "Unexpected token ']'" without a position for some errors. Null when the text is valid.
 */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t'))
      i++;
  };
  const str = (): boolean => {
    i++;
    while (i < n && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) return false;
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return false;
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) return false;
      }
      i++;
    }
    if (i >= n) return false;
    i++;
    return true;
  };
  const key = (): boolean => {
    ws();
    if (text[i] !== '"' || !str()) return false;
    ws();
    if (text[i] !== ':') return false;
    i++;
    return true;
  };
  // A loop with a stack of open containers, not recursion: deep nesting cannot overflow.
  const stack: string[] = [];
  let expectValue = true;
  for (;;) {
    ws();
    if (expectValue) {
      const c = text[i];
      if (c === '{' || c === '[') {
        stack.push(c === '{' ? '}' : ']');
        i++;
        ws();
        if (text[i] === stack.at(-1)) {
          stack.pop();
          i++;
          expectValue = false;
        } else if (c === '{' && !key()) return i;
        continue;
      }
      if (c === '"') {
        if (!str()) return i;
      } else {
        const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(
          text.slice(i, i + 400),
        );
        if (!m) return i;
        i += m[0].length;
      }
      expectValue = false;
      continue;
    }
    const close = stack.at(-1);
    if (!close) break;
    if (text[i] === close) {
      stack.pop();
      i++;
      continue;
    }
    if (text[i] !== ',') return i;
    i++;
    if (close === '}' && !key()) return i;
    expectValue = true;
  }
  return i < n ? i : null;
}
