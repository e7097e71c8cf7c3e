import { describe, expect, it } from 'vitest';
import { parseShell } from './shell-parser';
import { ShellSyntaxError } from './shell-syntax-error';

describe(parseShell.name, () => {
  it('should split a line into and-or lists, pipelines and words', () => {
    const sut = parseShell('curl -s web | grep ok && echo yes || echo no; true');

    expect(sut).toHaveLength(2);
    expect(sut[0]!.first.commands).toHaveLength(2);
    expect(sut[0]!.rest.map((r) => r.op)).toEqual(['&&', '||']);
  });

  it('should keep quoting on word parts so that expansion can split correctly', () => {
    const [list] = parseShell(`echo 'a $X' "b $Y" c\\ d`);
    const cmd = list!.first.commands[0]!;

    expect(cmd.kind === 'simple' && cmd.words.slice(1)).toEqual([
      [{ kind: 'literal', text: 'a $X', quoted: true }],
      [
        { kind: 'literal', text: 'b ', quoted: true },
        { kind: 'variable', name: 'Y', quoted: true },
      ],
      [
        { kind: 'literal', text: 'c', quoted: false },
        { kind: 'literal', text: ' ', quoted: true },
        { kind: 'literal', text: 'd', quoted: false },
      ],
    ]);
  });

  it('should parse redirections with descriptors', () => {
    const [list] = parseShell('nc -zv web 80 2>&1 >/dev/null');
    const cmd = list!.first.commands[0]!;

    expect(cmd.kind === 'simple' && cmd.redirects.map((r) => [r.fd, r.op])).toEqual([
      [2, '>&'],
      [1, '>'],
    ]);
  });

  it.each([
    ['while true; do curl -s web; sleep 1; done', 'loop'],
    ['for i in 1 2 3; do echo $i; done', 'for'],
    ['if curl -s web; then echo up; else echo down; fi', 'if'],
    ['{ echo a; echo b; }', 'group'],
  ])('should parse the compound command %s', (source, kind) => {
    expect(parseShell(source)[0]!.first.commands[0]!.kind).toBe(kind);
  });

  it.each([
    ['echo "open', 'syntax error: unterminated quoted string'],
    ["echo 'open", 'syntax error: unterminated quoted string'],
    ['curl web &&', 'syntax error: unexpected end of file'],
    ['curl web |', 'syntax error: unexpected end of file'],
    ['while true; do echo', 'syntax error: unexpected end of file (expecting "done")'],
  ])('should ask for more input after %j', (source, message) => {
    const error = captureError(() => parseShell(source));

    expect(error).toMatchObject({ message, incomplete: true });
  });

  it.each([
    ['| grep x', 'syntax error: unexpected "|"'],
    ['echo a ;; echo b', 'syntax error: unexpected ";"'],
    ['done', 'syntax error: unexpected "done"'],
    ['echo )', 'syntax error: unexpected ")"'],
  ])('should reject %j as ash does', (source, message) => {
    expect(captureError(() => parseShell(source))).toMatchObject({ message, incomplete: false });
  });
});

function captureError(fn: () => unknown): ShellSyntaxError | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ShellSyntaxError) return e;
    throw e;
  }
  return undefined;
}
