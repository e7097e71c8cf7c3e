import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const NETLAB = new URL('../../../bin/netlab.js', import.meta.url).pathname;

/** A sim cluster in its own process (as a sim host would be) with a running toolbox pod. */
export interface SimToolbox {
  kubeconfig: string;
  namespace: string;
  pod: string;
  container: string;
  /** kubectl against the cluster. */
  kubectl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `netlab sim up` in a child process, so what the gateway's process holds is measured
 * apart from the cluster's, and runs the toolbox pod (image netlab/toolbox) in it.
 */
export async function startSimToolbox(name = 'terminal'): Promise<SimToolbox> {
  const child = spawn(process.execPath, [NETLAB, 'sim', 'up', '--nodes', '1', '--name', name], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const deadline = Date.now() + 90_000;
  while (!out.includes('Press Ctrl-C to stop.')) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`netlab sim up did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const path = /^export KUBECONFIG=(\S+)$/m.exec(out)![1]!;
  const home = mkdtempSync(join(tmpdir(), 'netlab-terminal-test-'));
  const kubectl = async (...args: string[]): Promise<string> =>
    (await run('kubectl', args, { env: { PATH: process.env.PATH, KUBECONFIG: path, HOME: home } })).stdout;
  await kubectl('run', 'toolbox', '--image=netlab/toolbox:0.1.0', '--command', '--', 'sleep', 'infinity');
  await kubectl('wait', '--for=condition=Ready', 'pod/toolbox', '--timeout=90s');
  return {
    kubeconfig: readFileSync(path, 'utf8'),
    namespace: 'default',
    pod: 'toolbox',
    container: 'toolbox',
    kubectl,
    stop: async () => {
      child.kill('SIGINT');
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}
