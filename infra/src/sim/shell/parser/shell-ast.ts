/** One piece of a word: literal text, a `$VAR`, or a `$(...)` substitution. */
export type WordPart =
  | { kind: 'literal'; text: string; quoted: boolean }
  | { kind: 'variable'; name: string; quoted: boolean; fallback?: Word }
  | { kind: 'substitution'; source: string; quoted: boolean }
  | { kind: 'arithmetic'; source: string; quoted: boolean };

/** A shell word before expansion. */
export type Word = WordPart[];

/** `>`, `>>`, `<`, `2>&1`, `&>` and friends. */
export interface Redirect {
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '&>';
  target: Word;
}

/** `NAME=value ... cmd args ... redirects`. */
export interface SimpleCommand {
  kind: 'simple';
  assignments: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
  /** The 1-based line of the source it starts on, when it starts with a word. */
  line?: number;
}

/** `while`/`until` loops. */
export interface LoopCommand {
  kind: 'loop';
  until: boolean;
  condition: CommandList;
  body: CommandList;
}

/** `for NAME in words; do ...; done`. */
export interface ForCommand {
  kind: 'for';
  name: string;
  items: Word[];
  body: CommandList;
}

/** `if ...; then ...; elif ...; else ...; fi`. */
export interface IfCommand {
  kind: 'if';
  branches: { condition: CommandList; body: CommandList }[];
  otherwise?: CommandList;
}

/** `{ ...; }` and `( ... )` (the subshell runs in the same state: nothing here forks). */
export interface GroupCommand {
  kind: 'group';
  body: CommandList;
  redirects: Redirect[];
}

/** Any command a pipeline stage can be. */
export type Command = SimpleCommand | LoopCommand | ForCommand | IfCommand | GroupCommand;

/** `[!] cmd | cmd | ...`. */
export interface Pipeline {
  negate: boolean;
  commands: Command[];
}

/** `pipeline && pipeline || pipeline ...`. */
export interface AndOrList {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

/** Commands separated by `;`, `&` or newlines. */
export type CommandList = AndOrList[];
