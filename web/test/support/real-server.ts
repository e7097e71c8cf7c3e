// Starts the real netlab server (npm start's entry, server/bin/netlab-server.js) on a free port with a fresh data dir:
// sim clusters, embedded PGlite, the web app from web/dist.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SERVER_DIR = resolve(import.meta.dirname, '../../../server');

/** A running server and how to stop it. */
export interface RealServer {
  url: string;
  dataDir: string;
  /** Everything the server printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

export async function startRealServer(
  env: Record<string, string> = {},
  timeoutMs = 180_000,
): Promise<RealServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'netlab-web-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['bin/netlab-server.js'], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      NETLAB_DATA_DIR: dataDir,
      NETLAB_PROVIDER: 'sim',
      NETLAB_LOG_LEVEL: 'warn',
      // From the TypeScript sources, not the shared compiled bundle in node_modules/.cache: another
      // process rebuilding that cache can delete chunks a running server still imports lazily.
      NETLAB_RUN_TS: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-200_000)));
  child.stderr!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-200_000)));

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server did not start in ${timeoutMs} ms:\n${out.slice(-4000)}`)),
      timeoutMs,
    );
    const onData = () => {
      const m = /netlab is running at (http:\/\/[^\s/]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before it listened:\n${out.slice(-4000)}`));
    });
  });

  return {
    url,
    dataDir,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      }
      // Keep what the server said, for a failing spec (web/test/artifacts/ is git-ignored).
      const logs = resolve(import.meta.dirname, '../artifacts');
      mkdirSync(logs, { recursive: true });
      writeFileSync(join(logs, `server-${new URL(url).port}.log`), out);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
