import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ExecResult } from '../kube/kube-client';

/** Runs a `script` check's command in the lab toolbox. */
export interface ScriptRunner {
  run(command: string, timeoutMs: number): Promise<ExecResult>;
  dispose(): void;
}

/**
 * The toolbox as a local shell: `sh -c command` with `KUBECONFIG` pointing at the lab's cluster,
 * so `kubectl` in the command talks to it (as it does in the learner's terminal).
 */
export class LocalScriptRunner implements ScriptRunner {
  private dir?: string;

  constructor(private readonly kc: KubeConfig) {}

  run(command: string, timeoutMs: number): Promise<ExecResult> {
    this.dir ??= mkdtempSync(join(tmpdir(), 'netlab-script-'));
    const kubeconfig = join(this.dir, 'kubeconfig');
    writeFileSync(kubeconfig, this.kc.exportConfig(), { mode: 0o600 });
    return new Promise((resolve) => {
      // Its own process group, so a timeout ends the command's children too (they hold the pipes).
      const child = spawn('sh', ['-c', command], {
        env: { ...process.env, KUBECONFIG: kubeconfig },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, timeoutMs);
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', (error) => {
        clearTimeout(timer);
        resolve({ exitCode: 127, stdout, stderr: `${stderr}${error.message}` });
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (timedOut) resolve({ exitCode: 124, stdout, stderr: `${stderr}timed out after ${timeoutMs} ms` });
        else resolve({ exitCode: code ?? 1, stdout, stderr });
      });
    });
  }

  dispose(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
