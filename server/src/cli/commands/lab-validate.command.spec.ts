import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CATALOG_DIR } from '@netlab/labs';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const NETLAB = new URL('../../../bin/netlab.js', import.meta.url).pathname;

async function netlab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [NETLAB, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function brokenLab(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'netlab-cli-')), 'broken');
  cpSync(join(CATALOG_DIR, 'example-hello'), dir, { recursive: true });
  const edit = (file: string, change: (t: string) => string) =>
    writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));
  edit('lab.yaml', (t) =>
    t
      .replace(/^title: .*\n/m, '')
      .replace('type: endpoints', 'type: htpp')
      .replace('steps/02-fix.md', 'steps/09-gone.md'),
  );
  edit(
    'manifests/app.yaml',
    (t) => `${t.replace('replicas: 2', 'replicas: {{ count }}')}\n---\nkind: [oops\n`,
  );
  return dir;
}

describe('netlab lab validate', () => {
  it('should pass on the catalog with one summary line per lab', async () => {
    const { code, stdout } = await netlab('lab', 'validate');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^✓ example-hello: Say hello through a Service — beginner, ~5 min · 2 steps · 2 checks/m,
    );
    expect(stdout).toMatch(/^\d+ valid, 0 invalid$/m);
  });

  it('should list every problem of a broken lab and exit 1', async () => {
    const { code, stdout } = await netlab('lab', 'validate', brokenLab());
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ .*broken: 5 problems/);
    for (const expected of [
      /title: is required/,
      /checks\[0\]\.type: "htpp" is not one of endpoints\|http/,
      /steps\[1\]: file "steps\/09-gone\.md" does not exist/,
      /parameter "count" is used but not declared/,
      /manifests\/app\.yaml:\d+: not valid YAML/,
    ]) {
      expect(stdout).toMatch(expected);
    }
    expect(stdout).toMatch(/^0 valid, 1 invalid$/m);
  });

  it('should print help for the subcommand', async () => {
    const { code, stdout } = await netlab('lab', 'validate', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: netlab lab validate [options] [dir...]');
  });
});
