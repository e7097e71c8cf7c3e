import type { AndOrList, Command, CommandList, Pipeline, Redirect, SimpleCommand, Word } from './shell-ast';
import { tokenize, type Token } from './shell-lexer';
import { ShellSyntaxError } from './shell-syntax-error';

const RESERVED = new Set([
  'if',
  'then',
  'elif',
  'else',
  'fi',
  'while',
  'until',
  'do',
  'done',
  'for',
  'in',
  '{',
  '}',
  '!',
]);

/** Parses shell source into a command list; throws {@link ShellSyntaxError}. */
export function parseShell(source: string): CommandList {
  return new Parser(tokenize(source)).script();
}

/** The unquoted literal text of a word, or undefined when any part is quoted or expanded. */
export function plainText(word: Word): string | undefined {
  if (word.length !== 1 || word[0]!.kind !== 'literal' || word[0]!.quoted) return undefined;
  return word[0]!.text;
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: Token[]) {}

  script(): CommandList {
    const list = this.list([]);
    const t = this.peek();
    if (t) throw ShellSyntaxError.unexpected(describe(t));
    return list;
  }

  /** Parses and-or lists until one of `stops` (a reserved word or `)`) or the end. */
  private list(stops: string[]): CommandList {
    const out: CommandList = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (!t || isStop(t, stops)) return out;
      out.push(this.andOr());
      const sep = this.peek();
      if (!sep || isStop(sep, stops)) return out;
      if (sep.type === 'op' && (sep.op === ';' || sep.op === '&' || sep.op === '\n')) this.pos++;
      else throw ShellSyntaxError.unexpected(describe(sep));
    }
  }

  private skipSeparators(): void {
    for (let t = this.peek(); t?.type === 'op' && (t.op === '\n' || t.op === ';'); t = this.peek())
      this.pos++;
  }

  private andOr(): AndOrList {
    const first = this.pipeline();
    const rest: AndOrList['rest'] = [];
    for (let t = this.peek(); t?.type === 'op' && (t.op === '&&' || t.op === '||'); t = this.peek()) {
      this.pos++;
      this.skipNewlines();
      rest.push({ op: t.op, pipeline: this.pipeline() });
    }
    return { first, rest };
  }

  private pipeline(): Pipeline {
    let negate = false;
    if (keyword(this.peek()) === '!') {
      negate = true;
      this.pos++;
    }
    const commands = [this.command()];
    for (let t = this.peek(); t?.type === 'op' && t.op === '|'; t = this.peek()) {
      this.pos++;
      this.skipNewlines();
      commands.push(this.command());
    }
    return { negate, commands };
  }

  private command(): Command {
    const t = this.peek();
    if (!t) throw ShellSyntaxError.incomplete();
    switch (keyword(t)) {
      case 'while':
      case 'until':
        return this.loop(keyword(t) === 'until');
      case 'for':
        return this.forLoop();
      case 'if':
        return this.ifCommand();
      case '{':
        this.pos++;
        return { kind: 'group', body: this.block('}'), redirects: this.redirects() };
      case undefined:
        break;
      default:
        throw ShellSyntaxError.unexpected(keyword(t)!);
    }
    if (t.type === 'op' && t.op === '(') {
      this.pos++;
      const body = this.list([')']);
      if (!this.peek()) throw ShellSyntaxError.incomplete(')');
      this.pos++;
      return { kind: 'group', body, redirects: this.redirects() };
    }
    return this.simple();
  }

  private simple(): SimpleCommand {
    const cmd: SimpleCommand = { kind: 'simple', assignments: [], words: [], redirects: [] };
    for (let t = this.peek(); t; t = this.peek()) {
      if (t.type === 'redirect') {
        cmd.redirects.push(this.redirect());
      } else if (t.type === 'word') {
        cmd.line ??= t.line;
        const assign = cmd.words.length === 0 ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(t.raw) : null;
        if (assign && t.word[0]?.kind === 'literal' && !t.word[0].quoted) {
          cmd.assignments.push({ name: assign[1]!, value: dropPrefix(t.word, assign[0].length) });
        } else {
          cmd.words.push(t.word);
        }
        this.pos++;
      } else break;
    }
    if (cmd.words.length === 0 && cmd.assignments.length === 0 && cmd.redirects.length === 0) {
      const t = this.peek();
      throw t ? ShellSyntaxError.unexpected(describe(t)) : ShellSyntaxError.incomplete();
    }
    return cmd;
  }

  private redirects(): Redirect[] {
    const out: Redirect[] = [];
    while (this.peek()?.type === 'redirect') out.push(this.redirect());
    return out;
  }

  private redirect(): Redirect {
    const t = this.tokens[this.pos++] as Extract<Token, { type: 'redirect' }>;
    const target = this.peek();
    if (!target) throw ShellSyntaxError.incomplete();
    if (target.type !== 'word') throw ShellSyntaxError.unexpected(describe(target));
    this.pos++;
    return { fd: t.fd ?? (t.op === '<' ? 0 : 1), op: t.op, target: target.word };
  }

  private loop(until: boolean): Command {
    this.pos++;
    const condition = this.list(['do']);
    this.expect('do');
    return { kind: 'loop', until, condition, body: this.block('done') };
  }

  private forLoop(): Command {
    this.pos++;
    const name = this.peek();
    if (!name) throw ShellSyntaxError.incomplete();
    if (name.type !== 'word' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.raw)) {
      throw new ShellSyntaxError(`syntax error: bad for loop variable`, false);
    }
    this.pos++;
    const items: Word[] = [];
    this.skipNewlines();
    if (keyword(this.peek()) === 'in') {
      this.pos++;
      for (let t = this.peek(); t?.type === 'word' && keyword(t) !== 'do'; t = this.peek()) {
        items.push(t.word);
        this.pos++;
      }
    }
    this.skipSeparators();
    this.expect('do');
    return { kind: 'for', name: name.raw, items, body: this.block('done') };
  }

  private ifCommand(): Command {
    this.pos++;
    const branches: { condition: CommandList; body: CommandList }[] = [];
    let otherwise: CommandList | undefined;
    for (;;) {
      const condition = this.list(['then']);
      this.expect('then');
      const body = this.list(['elif', 'else', 'fi']);
      branches.push({ condition, body });
      const next = keyword(this.peek());
      if (!next) throw ShellSyntaxError.incomplete('fi');
      this.pos++;
      if (next === 'fi') break;
      if (next === 'else') {
        otherwise = this.block('fi');
        break;
      }
    }
    return { kind: 'if', branches, otherwise };
  }

  /** A list closed by `end`, which is consumed. */
  private block(end: string): CommandList {
    const body = this.list([end]);
    this.expect(end);
    return body;
  }

  private expect(word: string): void {
    const t = this.peek();
    if (!t) throw ShellSyntaxError.incomplete(word);
    if (keyword(t) !== word) throw ShellSyntaxError.unexpected(describe(t));
    this.pos++;
  }

  private skipNewlines(): void {
    while (this.peek()?.type === 'op' && (this.peek() as { op: string }).op === '\n') this.pos++;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }
}

function isStop(t: Token, stops: string[]): boolean {
  return stops.includes(keyword(t) ?? '') || (t.type === 'op' && t.op === ')' && stops.includes(')'));
}

function keyword(t: Token | undefined): string | undefined {
  if (t?.type !== 'word') return undefined;
  const text = plainText(t.word);
  return text !== undefined && RESERVED.has(text) && t.raw === text ? text : undefined;
}

function describe(t: Token): string {
  if (t.type === 'word') return t.raw;
  if (t.type === 'op') return t.op;
  return `${t.fd ?? ''}${t.op}`;
}

function dropPrefix(word: Word, length: number): Word {
  const [first, ...rest] = word;
  const text = (first as { text: string }).text.slice(length);
  return text ? [{ kind: 'literal', text, quoted: false }, ...rest] : rest;
}
