import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const NETLAB = new URL('../../../bin/netlab.js', import.meta.url).pathname;

describe('netlab sim up', () => {
  it('should print a kubeconfig kubectl can use and stop cleanly on Ctrl-C', async () => {
    const child = spawn(process.execPath, [NETLAB, 'sim', 'up', '--nodes', '2', '--name', 'cli'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 60_000;
    while (!out.includes('Press Ctrl-C to stop.') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(out).toMatch(/^sim cluster "cli" is up: 2 nodes, CNI kindnet, API https:\/\/127\.0\.0\.1:\d+$/m);
    const path = /^export KUBECONFIG=(\S+)$/m.exec(out)![1]!;
    expect(out).toContain(`kubeconfig: ${path}\n`);
    const { stdout } = await run('/usr/bin/kubectl', ['get', 'nodes', '-o', 'name'], {
      env: { PATH: process.env.PATH, KUBECONFIG: path, HOME: `${path}.home` },
    });
    expect(stdout).toBe('node/cli-control-plane\nnode/cli-worker\n');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('stopped\n');
    expect(existsSync(path)).toBe(false);
  }, 90_000);

  it('should refuse a bad node count with the fix', async () => {
    const r = await run(process.execPath, [NETLAB, 'sim', 'up', '--nodes', 'many']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(r).toMatchObject({ code: 1 });
    expect((r as { stderr: string }).stderr).toContain(
      `error: option '--nodes <n>' argument 'many' is invalid. expected a whole number from 1 to 20, got "many"`,
    );
  }, 30_000);
});
