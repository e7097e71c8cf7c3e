import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClusterRuntime } from '../../src/sim/runtime';
import { SimCluster, type SimClusterOptions } from '../../src/sim/sim-cluster';

/** The kubectl the suite drives: the real binary, never a stand-in. */
export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

/** Fails loudly (every test fails) when kubectl is missing: CI has one, so a skip would hide a regression. */
export function requireKubectl(): void {
  if (!existsSync(KUBECTL)) {
    throw new Error(
      `kubectl not found at ${KUBECTL}: the sim conformance suite drives the real kubectl. Install it (CI images have /usr/bin/kubectl) or set KUBECTL=/path/to/kubectl.`,
    );
  }
}

/** What one kubectl run printed and how it exited. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A sim cluster plus a kubectl with its own HOME, KUBECONFIG and discovery cache. */
export interface KubectlWorld {
  cluster: SimCluster;
  dir: string;
  kubeconfigPath: string;
  env: NodeJS.ProcessEnv;
  kubectl(
    args: string[],
    options?: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
  ): Promise<KubectlResult>;
  /** Writes a file under the world's directory; returns its path. */
  file(name: string, content: string): string;
  stop(): Promise<void>;
}

/** Starts a cluster (API only unless a runtime is given) and a private kubectl environment for it. */
export async function startWorld(
  options: Partial<SimClusterOptions> & { minor: number },
): Promise<KubectlWorld> {
  requireKubectl();
  const cluster = await SimCluster.start({ name: 'conf', runtime: false, ...options });
  const dir = mkdtempSync(join(tmpdir(), 'netlab-sim-conf-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, cluster.kubeconfig);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    KUBECONFIG: kubeconfigPath,
    KUBECACHEDIR: join(dir, 'cache'),
    LANG: 'C.UTF-8',
  };
  return {
    cluster,
    dir,
    kubeconfigPath,
    env,
    kubectl: (args, o = {}) => runKubectl(args, { ...env, ...o.env }, o.input, o.timeoutMs ?? 20_000),
    file: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    stop: async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A world whose Pods run (kubelets, apps): Kubernetes 1.33 and 2 nodes unless said, returned once
 * its nodes are Ready (with a CNI) and `pods` are Ready.
 */
export async function startRuntimeWorld(
  options: Partial<SimClusterOptions> & { pods?: PodRun[] } = {},
): Promise<KubectlWorld> {
  const { pods = [], ...cluster } = options;
  const world = await startWorld({ minor: 33, nodes: 2, runtime: createClusterRuntime, ...cluster });
  try {
    if (cluster.cni !== false) await readyNodes(world, cluster.nodes ?? 2);
    if (pods.length > 0) await runPods(world, pods);
    return world;
  } catch (error) {
    await world.stop();
    throw error;
  }
}

function runKubectl(
  args: string[],
  env: NodeJS.ProcessEnv,
  input: string | undefined,
  timeoutMs: number,
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      KUBECTL,
      args,
      { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

/** A long-running kubectl (e.g. `get -w`, `logs -f`) whose output accumulates until it is stopped. */
export function startKubectl(
  world: KubectlWorld,
  args: string[],
): { output: () => string; stop: () => Promise<KubectlResult> } {
  const child = spawn(KUBECTL, args, { env: world.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<KubectlResult>((resolve) =>
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
  return {
    output: () => stdout,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return done;
    },
  };
}

/** Polls `check` until it returns true (for output that streams in); throws with `what` on timeout. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A Pod for {@link runPods}: its name, its image, then its container's args (what follows `--`). */
export type PodRun = [name: string, image: string, ...args: string[]];

/** `kubectl run`s each Pod, then waits until all are Ready; throws with kubectl's words when one is not. */
export async function runPods(world: KubectlWorld, pods: PodRun[], timeoutS = 90): Promise<void> {
  for (const [name, image, ...args] of pods) {
    const command = ['run', name, `--image=${image}`, ...(args.length ? ['--', ...args] : [])];
    const run = await world.kubectl(command, { timeoutMs: 60_000 });
    if (run.code !== 0) throw new Error(`kubectl ${command.join(' ')} failed: ${run.stderr}`);
  }
  await waitReady(world, names(pods), timeoutS);
}

function names(pods: PodRun[]): string[] {
  return pods.map(([name]) => name);
}

/** `kubectl wait --for=condition=Ready` on the named Pods; throws with kubectl's words when one is not Ready in time. */
export async function waitReady(world: KubectlWorld, pods: string[], timeoutS = 90): Promise<void> {
  const args = ['wait', '--for=condition=Ready', ...pods.map((p) => `pod/${p}`), `--timeout=${timeoutS}s`];
  const ready = await world.kubectl(args, { timeoutMs: (timeoutS + 30) * 1000 });
  if (ready.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${ready.stderr}`);
}

/** Waits until `kubectl get nodes` shows `count` Ready nodes. */
export function readyNodes(world: KubectlWorld, count: number, timeoutMs = 30_000): Promise<void> {
  return eventually(
    async () =>
      (await world.kubectl(['get', 'nodes'], { timeoutMs: 60_000 })).stdout
        .split('\n')
        .filter((l) => / Ready /.test(l)).length === count,
    `${count} Ready nodes`,
    timeoutMs,
  );
}

/** Splits `kubectl get` output into rows of cells (columns separated by 2+ spaces). */
export function rows(output: string): string[][] {
  return output
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.trim().split(/\s{2,}/));
}

/** Runs kubectl inside a pseudo-terminal (util-linux `script`), typing `keys` one chunk at a time. */
export function inPty(
  world: KubectlWorld,
  args: string[],
  keys: string[],
  gapMs = 400,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const command = [KUBECTL, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    const child = execFile(
      'script',
      ['-qefc', command, '/dev/null'],
      { env: { ...world.env, TERM: 'xterm' }, timeout: 30_000 },
      (error, stdout) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout });
      },
    );
    let i = 0;
    const typeNext = (): void => {
      if (i < keys.length) {
        child.stdin?.write(keys[i++]);
        setTimeout(typeNext, gapMs);
      }
    };
    setTimeout(typeNext, 1500);
  });
}

/** A GET to the cluster's API with its token, trusting only its CA; the body is read to the end. */
export function rawRequest(
  world: KubectlWorld,
  path: string,
  token = world.cluster.token,
): Promise<{ status: number; body: string }> {
  const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(world.cluster.kubeconfig)![1]!, 'base64');
  return new Promise((resolve, reject) => {
    const req = request(
      `${world.cluster.url}${path}`,
      { ca, headers: token ? { Authorization: `Bearer ${token}` } : {} },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
