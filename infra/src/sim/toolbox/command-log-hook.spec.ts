import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const HOOK = new URL('../../../images/toolbox/command-log.bash', import.meta.url).pathname;
const DOCKERFILE = new URL('../../../images/toolbox/Dockerfile', import.meta.url).pathname;

/** Types `input` into an interactive bash (in a PTY from `script`) with the hook sourced; returns what it printed. */
async function interactiveBash(input: string): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'netlab-hook-'));
  try {
    writeFileSync(join(home, 'rc'), `source ${HOOK}\nPS1='$ '\n`);
    const { stdout } = await run(
      'bash',
      ['-c', `printf '%s' "$INPUT" | script -qfec "bash --rcfile ${home}/rc -i" /dev/null`],
      { env: { PATH: process.env.PATH, HOME: home, TERM: 'dumb', INPUT: input }, timeout: 30_000 },
    );
    return stdout;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

// The marker is made of control characters (ESC, BEL): that is what the test looks for.
const markers = (out: string) =>
  // eslint-disable-next-line no-control-regex
  [...out.matchAll(/\x1b\]6973;(\d+);([A-Za-z0-9+/=]*)\x07/g)].map((m) => ({
    exitCode: Number(m[1]),
    command: Buffer.from(m[2]!, 'base64').toString('utf8'),
  }));

describe('toolbox command-log hook', () => {
  it('should print one marker per command line with its exit status, none for an empty line', async () => {
    const out = await interactiveBash('echo hi\n\nfalse\nfalse\n ls /nope | cat\nexit 0\n');
    expect(markers(out)).toEqual([
      { command: 'echo hi', exitCode: 0 },
      { command: 'false', exitCode: 1 },
      { command: 'false', exitCode: 1 },
      { command: 'ls /nope | cat', exitCode: 0 },
    ]);
  });

  it('should be the file the toolbox image sources, so kind and the sim log alike', () => {
    const dockerfile = readFileSync(DOCKERFILE, 'utf8');
    expect(dockerfile).toContain('COPY command-log.bash /etc/netlab/command-log.bash');
    expect(dockerfile).toContain("'source /etc/netlab/command-log.bash'");
    expect(readFileSync(new URL('./toolbox-shell.ts', import.meta.url), 'utf8')).toContain(
      "'../../../images/toolbox/command-log.bash'",
    );
  });
});
