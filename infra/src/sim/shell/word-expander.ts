import type { Word } from './parser/shell-ast';
import { evaluateArithmetic } from './parser/shell-arithmetic';
import { appendCapped, capString } from './shell-limits';

/** Looks a variable up (`?`, `$`, `HOME`, ...) and runs `$(...)` substitutions. */
export interface ExpansionScope {
  variable(name: string): string | undefined;
  substitute(source: string): Promise<string>;
}

/** Expands a word into fields: variables, substitutions, then field splitting of unquoted expansions. */
export async function expandWord(word: Word, scope: ExpansionScope): Promise<string[]> {
  const fields: string[] = [];
  let current = '';
  let active = false;
  for (const part of word) {
    if (part.kind === 'literal') {
      current = appendCapped(current, part.text);
      active ||= part.quoted || part.text !== '';
      continue;
    }
    let value: string;
    if (part.kind === 'variable') {
      value = scope.variable(part.name) ?? '';
      if (value === '' && part.fallback) value = (await expandWord(part.fallback, scope)).join(' ');
    } else if (part.kind === 'arithmetic') {
      value = String(evaluateArithmetic(part.source, (name) => scope.variable(name)));
    } else {
      value = (await scope.substitute(part.source)).replace(/\n+$/, '');
    }
    if (part.quoted) {
      current = appendCapped(current, value);
      active = true;
      continue;
    }
    const pieces = value.split(/[ \t\n]+/).filter((p) => p !== '');
    if (/^[ \t\n]/.test(value) && active) {
      fields.push(current);
      current = '';
      active = false;
    }
    pieces.forEach((piece, i) => {
      if (i > 0) fields.push(current);
      current = i > 0 ? capString(piece) : appendCapped(current, piece);
      active = true;
    });
    if (/[ \t\n]$/.test(value) && pieces.length > 0) {
      fields.push(current);
      current = '';
      active = false;
    }
  }
  if (active) fields.push(current);
  return fields;
}

/** Expands a word into one string without field splitting (assignments, redirection targets). */
export async function expandToString(word: Word, scope: ExpansionScope): Promise<string> {
  const quoted: Word = word.map((part) => ({ ...part, quoted: true }));
  return (await expandWord(quoted, scope)).join('');
}
