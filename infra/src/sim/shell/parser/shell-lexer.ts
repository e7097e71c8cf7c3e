import type { Word, WordPart } from './shell-ast';
import { ShellSyntaxError } from './shell-syntax-error';

/** A lexical token: a word, a control operator, or a redirection operator. */
export type Token =
  /** `line`: the 1-based source line the word starts on (dash reports it in errors). */
  | { type: 'word'; word: Word; raw: string; line: number }
  | { type: 'op'; op: ';' | '&' | '&&' | '||' | '|' | '(' | ')' | '\n' }
  | { type: 'redirect'; fd: number | undefined; op: '>' | '>>' | '<' | '>&' | '&>' };

const META = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);

/** Splits shell source into tokens; throws {@link ShellSyntaxError} (incomplete for open quotes). */
export function tokenize(source: string): Token[] {
  const lexer = new Lexer(source);
  const tokens: Token[] = [];
  for (let t = lexer.next(); t; t = lexer.next()) tokens.push(t);
  return tokens;
}

class Lexer {
  private pos = 0;
  private countedTo = 0;
  private line = 1;

  constructor(private readonly src: string) {}

  next(): Token | undefined {
    this.skipBlanks();
    if (this.pos >= this.src.length) return undefined;
    const c = this.src[this.pos]!;
    if (c === '#') {
      while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      return this.next();
    }
    const two = this.src.slice(this.pos, this.pos + 2);
    if (c === '\n') return this.op('\n', 1);
    if (two === '&&' || two === '||') return this.op(two, 2);
    if (two === '&>') {
      this.pos += 2;
      return { type: 'redirect', fd: undefined, op: '&>' };
    }
    if (c === ';' || c === '&' || c === '|' || c === '(' || c === ')') return this.op(c, 1);
    const redirect = /^(\d?)(>>|>&|>|<)/.exec(this.src.slice(this.pos, this.pos + 3));
    if (redirect) {
      this.pos += redirect[0].length;
      const op = redirect[2] as '>>' | '>&' | '>' | '<';
      return { type: 'redirect', fd: redirect[1] ? Number(redirect[1]) : undefined, op };
    }
    return this.word();
  }

  private op(op: ';' | '&' | '&&' | '||' | '|' | '(' | ')' | '\n', length: number): Token {
    this.pos += length;
    return { type: 'op', op };
  }

  private skipBlanks(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '\\' && this.src[this.pos + 1] === '\n') this.pos += 2;
      else return;
    }
  }

  private word(): Token {
    const start = this.pos;
    const parts: WordPart[] = [];
    const lit = (text: string, quoted: boolean) => {
      const last = parts[parts.length - 1];
      if (last?.kind === 'literal' && last.quoted === quoted) last.text += text;
      else parts.push({ kind: 'literal', text, quoted });
    };
    while (this.pos < this.src.length && !META.has(this.src[this.pos]!)) {
      const c = this.src[this.pos]!;
      if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw ShellSyntaxError.unterminatedQuote();
        lit(this.src.slice(this.pos + 1, end), true);
        this.pos = end + 1;
      } else if (c === '"') {
        this.pos++;
        this.doubleQuoted(parts, lit);
      } else if (c === '\\') {
        const n = this.src[this.pos + 1];
        if (n === undefined) throw ShellSyntaxError.incomplete();
        if (n !== '\n') lit(n, true);
        this.pos += 2;
      } else if (c === '$' || c === '`') {
        const part = this.dollar(false);
        if (part) parts.push(part);
        else lit('$', false);
      } else {
        lit(c, false);
        this.pos++;
      }
    }
    return { type: 'word', word: parts, raw: this.src.slice(start, this.pos), line: this.lineAt(start) };
  }

  /** The line `pos` is on, counting newlines incrementally (tokens come in source order). */
  private lineAt(pos: number): number {
    for (; this.countedTo < pos; this.countedTo++) if (this.src[this.countedTo] === '\n') this.line++;
    return this.line;
  }

  private doubleQuoted(parts: WordPart[], lit: (text: string, quoted: boolean) => void): void {
    lit('', true);
    for (;;) {
      if (this.pos >= this.src.length) throw ShellSyntaxError.unterminatedQuote();
      const c = this.src[this.pos]!;
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c === '\\' && '$`"\\\n'.includes(this.src[this.pos + 1] ?? '')) {
        if (this.src[this.pos + 1] !== '\n') lit(this.src[this.pos + 1]!, true);
        this.pos += 2;
      } else if (c === '$' || c === '`') {
        const part = this.dollar(true);
        if (part) parts.push(part);
        else lit('$', true);
      } else {
        lit(c, true);
        this.pos++;
      }
    }
  }

  /** Reads `$name`, `${name}`, `${name:-word}`, `$?`, `$(...)` or a backtick substitution. */
  private dollar(quoted: boolean): WordPart | undefined {
    const src = this.src;
    if (src[this.pos] === '`') {
      const end = src.indexOf('`', this.pos + 1);
      if (end < 0) throw ShellSyntaxError.unterminatedQuote();
      const source = src.slice(this.pos + 1, end);
      this.pos = end + 1;
      return { kind: 'substitution', source, quoted };
    }
    const n = src[this.pos + 1] ?? '';
    if (src.startsWith('$((', this.pos)) {
      const end = matchingParen(src, this.pos + 1);
      const source = src.slice(this.pos + 3, end - 1);
      this.pos = end + 1;
      return { kind: 'arithmetic', source, quoted };
    }
    if (n === '(') {
      const end = matchingParen(src, this.pos + 1);
      const source = src.slice(this.pos + 2, end);
      this.pos = end + 1;
      return { kind: 'substitution', source, quoted };
    }
    if (n === '{') {
      const end = src.indexOf('}', this.pos + 2);
      if (end < 0) throw ShellSyntaxError.incomplete();
      const body = src.slice(this.pos + 2, end);
      this.pos = end + 1;
      const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?#$!@*-])(?::?-(.*))?$/s.exec(body);
      if (!m) throw new ShellSyntaxError(`\${${body}}: bad substitution`, false);
      const part: WordPart = { kind: 'variable', name: m[1]!, quoted };
      if (m[2] !== undefined) part.fallback = [{ kind: 'literal', text: m[2], quoted: true }];
      return part;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?#$!@*-])/.exec(src.slice(this.pos + 1));
    if (!m) {
      this.pos++;
      return undefined;
    }
    this.pos += 1 + m[1]!.length;
    return { kind: 'variable', name: m[1]!, quoted };
  }
}

/** Index of the `)` closing the `(` at `open`, skipping quoted text. */
function matchingParen(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === "'") {
      i = src.indexOf("'", i + 1);
      if (i < 0) break;
    } else if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
    } else if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw ShellSyntaxError.incomplete();
}
