import { request } from 'node:https';
import WebSocket from 'ws';
import { SimCluster, type SimClusterOptions } from '../../src/sim/sim-cluster';

/** What an API call answered. */
export interface Answer {
  status: number;
  body: string;
  ms: number;
}

/** What a test talks to: a whole SimCluster, or a bare ApiServer with its URL and token. */
export type Target = Pick<SimCluster, 'url' | 'token' | 'kubeconfig'>;

/** The cluster's CA, from its kubeconfig. */
export function caOf(cluster: Target): Buffer {
  return Buffer.from(/certificate-authority-data: (\S+)/.exec(cluster.kubeconfig)![1]!, 'base64');
}

/** Starts a cluster for an attack test (API only unless asked otherwise). */
export function aCluster(name: string, options: Partial<SimClusterOptions> = {}): Promise<SimCluster> {
  return SimCluster.start({ name, runtime: false, ...options });
}

/** One API call with the cluster's token; the body is read to the end. */
export function call(
  cluster: Target,
  method: string,
  path: string,
  body?: string | Buffer,
  contentType = 'application/json',
): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      `${cluster.url}${path}`,
      {
        method,
        ca: caOf(cluster),
        headers: {
          Authorization: `Bearer ${cluster.token}`,
          ...(body !== undefined ? { 'Content-Type': contentType } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens an exec/attach WebSocket as kubectl does (v5.channel.k8s.io). */
export function openExec(cluster: Target, path: string): Promise<WebSocket> {
  const ws = new WebSocket(`${cluster.url.replace('https', 'wss')}${path}`, ['v5.channel.k8s.io'], {
    ca: caOf(cluster),
    headers: { Authorization: `Bearer ${cluster.token}` },
  });
  ws.on('error', () => undefined); // a reset after a test's end is not that test's failure
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** Waits until `check` returns a value (polling), or fails after `ms`. */
export async function until<T>(check: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
