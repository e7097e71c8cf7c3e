import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PTY_PROGRAM, ptyCommand } from './toolbox-pty';

describe(ptyCommand.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'netlab-pty-spec-'));
  afterEach(() => rmSync(join(dir, 'pwned'), { force: true }));

  function run(command: string[], size?: { cols: number; rows: number }): string {
    const { argv, env } = ptyCommand(command, size);
    const r = spawnSync(argv[0]!, argv.slice(1), {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    return r.stdout.replace(/\r/g, '');
  }

  it('should keep the command string fixed whatever the argv and size', () => {
    const hostile = ['sh', '-c', `touch ${dir}/pwned`, `'; touch ${dir}/pwned; '`];
    const { argv } = ptyCommand(hostile, { cols: 80, rows: 24 });
    expect(argv).toEqual(['script', '-qfec', PTY_PROGRAM, '/dev/null']);
    expect(argv.join(' ')).not.toContain('pwned');
  });

  it('should pass every argument through unchanged when they hold quotes, spaces and substitutions', () => {
    const args = ['a b', "it's", '$(touch X)', '"q"', '`id`', '', '\\'];
    const out = run(['printf', '[%s]\\n', ...args]);
    expect(out).toBe(args.map((a) => `[${a}]\n`).join(''));
  });

  it('should set the PTY size when it is valid and never run a size as a command when it is not', () => {
    expect(run(['stty', 'size'], { cols: 101, rows: 33 })).toBe('33 101\n');
    const hostile = { cols: `1; touch ${dir}/pwned #` as unknown as number, rows: 2 };
    run(['true'], hostile);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });
});
