/**
 * Noisy neighbours: another cluster's API latency while one cluster is under each hostile load of
 * issue 9. Run: `npx tsx infra/bench/isolation.bench.ts [seconds per load]` (default 4). Both
 * clusters live in this process (as on one sim host); each load runs in a child process, as a
 * learner's client would. Prints, per load, the bystander's p50/p99/max for `GET pods` over a
 * keep-alive connection (as kubectl's transport does), sampled every 10 ms; target p99 < 50 ms.
 */
import { fork } from 'node:child_process';
import { Agent, request } from 'node:https';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { connect } from 'node:tls';
import WebSocket from 'ws';
import { SimCluster } from '../src/sim/sim-cluster';
import { aServer } from '../test/hostile/hostile-server';
import { HostileRuntime } from '../test/hostile/hostile-runtime';
import { call, caOf, type Target } from '../test/hostile/hostile-harness';

const seconds = Number(process.argv[2] ?? 4);
const CM = '/api/v1/namespaces/default/configmaps';

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** Samples the bystander's GET latency until `stop` resolves. */
async function sample(target: Target, stop: Promise<void>): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: caOf(target) });
  let done = false;
  void stop.then(() => (done = true));
  const out: number[] = [];
  while (!done) {
    const t = performance.now();
    await new Promise<void>((resolve, reject) => {
      const req = request(`${target.url}/api/v1/namespaces/default/pods`, {
        agent,
        headers: { Authorization: `Bearer ${target.token}` },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end();
    });
    out.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 10));
  }
  agent.destroy();
  return out;
}

/** Keeps `n` copies of `one` in flight until the load ends. */
async function flood(n: number, running: () => boolean, one: () => Promise<unknown>): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (running()) await one().catch(() => undefined);
    }),
  );
}

function ld(n: number, body: Buffer): Buffer {
  const len: number[] = [];
  let l = body.length;
  while (l > 127) {
    len.push((l & 127) | 128);
    l >>>= 7;
  }
  len.push(l);
  return Buffer.concat([Buffer.from([(n << 3) | 2, ...len]), body]);
}

type Load = (attacker: Target, running: () => boolean) => Promise<void>;

const deepJson = () =>
  `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;

/** The hostile loads, by name; each runs in a child process against the attacker cluster. */
const LOADS: Record<string, Load> = {
  'baseline (attacker idle)': async () => undefined,
  'deep JSON bodies (100k levels, 4 in flight)': (a, r) => flood(4, r, () => call(a, 'POST', CM, deepJson())),
  'deep YAML bodies (50k levels, 4 in flight)': (a, r) => {
    const body = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nx: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`;
    return flood(4, r, () => call(a, 'POST', CM, body, 'application/yaml'));
  },
  'protobuf endless varint (2 MiB, 4 in flight)': (a, r) => {
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.alloc(2 * 1024 * 1024, 0x80)]);
    return flood(4, r, () => call(a, 'POST', CM, body, 'application/vnd.kubernetes.protobuf'));
  },
  'protobuf 300k map entries (4 in flight)': (a, r) => {
    const entry = ld(2, Buffer.concat([ld(1, Buffer.from('k')), ld(2, Buffer.from('v'))]));
    const type = ld(1, Buffer.concat([ld(1, Buffer.from('v1')), ld(2, Buffer.from('ConfigMap'))]));
    const raw = Buffer.concat([ld(1, ld(1, Buffer.from('m'))), ...Array<Buffer>(300_000).fill(entry)]);
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), type, ld(2, raw)]);
    return flood(4, r, () => call(a, 'POST', CM, body, 'application/vnd.kubernetes.protobuf'));
  },
  'JSON patch self-copies (4 in flight)': async (a, r) => {
    await call(
      a,
      'POST',
      CM,
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 't' } }),
    );
    const body = JSON.stringify([
      { op: 'add', path: '/x', value: [Array.from({ length: 100 }, (_, i) => i)] },
      ...Array.from({ length: 60 }, () => ({ op: 'copy', from: '/x', path: '/x/-' })),
    ]);
    await flood(4, r, () => call(a, 'PATCH', `${CM}/t`, body, 'application/json-patch+json'));
  },
  'slow readers: 8 logs, 8 watches, 4 exec floods': async (a, running) => {
    const url = new URL(a.url);
    const raw = (path: string) => {
      const s = connect({ host: url.hostname, port: Number(url.port), ca: caOf(a), servername: 'localhost' });
      s.on('secureConnect', () =>
        s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${a.token}\r\n\r\n`),
      );
      s.once('data', () => s.pause());
      s.on('error', () => undefined);
      return s;
    };
    const sockets = [
      ...Array.from({ length: 8 }, () => raw('/api/v1/namespaces/default/pods/box/log?follow=true')),
      ...Array.from({ length: 8 }, () => raw(`${CM}?watch=true`)),
    ];
    const floods = Array.from({ length: 4 }, () => {
      const ws = new WebSocket(
        `${a.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/box/exec?command=flood&stdout=true`,
        ['v5.channel.k8s.io'],
        {
          ca: caOf(a),
          headers: { Authorization: `Bearer ${a.token}` },
        },
      );
      ws.on('open', () => ws.pause());
      ws.on('error', () => undefined);
      return ws;
    });
    const big = (i: number) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'big' },
        data: { k: String(i % 10).repeat(100_000) },
      });
    await call(a, 'POST', CM, big(0));
    for (let i = 1; running(); i++) {
      await call(a, 'PUT', `${CM}/big`, big(i));
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const s of sockets) s.destroy();
    for (const w of floods) w.terminate();
  },
  'stdin flood into a process that never reads': async (a, running) => {
    const ws = new WebSocket(
      `${a.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/box/exec?command=deaf&stdin=true&stdout=true`,
      ['v5.channel.k8s.io'],
      {
        ca: caOf(a),
        headers: { Authorization: `Bearer ${a.token}` },
      },
    );
    ws.on('error', () => undefined);
    await new Promise((r) => ws.once('open', r));
    const frame = Buffer.concat([Buffer.from([0]), Buffer.alloc(64 * 1024, 'x')]);
    while (running()) {
      if (ws.bufferedAmount < 8 * 1024 * 1024) ws.send(frame);
      else await new Promise((r) => setTimeout(r, 20));
    }
    ws.terminate();
  },
  '64 connections that never authenticate': async (a, running) => {
    const url = new URL(a.url);
    for (let i = 0; i < 64; i++)
      connect({ host: url.hostname, port: Number(url.port), ca: caOf(a), servername: 'localhost' }).on(
        'error',
        () => undefined,
      );
    while (running()) await new Promise((r) => setTimeout(r, 100));
  },
  'Deployments scaled near the pod quota (2 × 40)': async (a) => {
    for (const name of ['a', 'b']) {
      await call(
        a,
        'POST',
        '/apis/apps/v1/namespaces/default/deployments',
        JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name },
          spec: {
            replicas: 40,
            selector: { matchLabels: { app: name } },
            template: {
              metadata: { labels: { app: name } },
              spec: { containers: [{ name: 'c', image: 'nginx' }] },
            },
          },
        }),
      );
    }
  },
};

/** In the child: runs one load against the attacker named in the environment, then exits. */
async function attack(name: string): Promise<void> {
  const target = JSON.parse(process.env.NETLAB_BENCH_TARGET!) as Target;
  const end = Date.now() + seconds * 1000;
  await LOADS[name]!(target, () => Date.now() < end).catch((e: unknown) =>
    console.error(`${name}: ${String(e)}`),
  );
  while (Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  process.exit(0);
}

/** Runs a load in a child process while sampling the bystander. */
async function measure(name: string, bystander: Target, attacker: Target): Promise<void> {
  let finish!: () => void;
  const stop = new Promise<void>((r) => (finish = r));
  const samples = sample(bystander, stop);
  const child = fork(fileURLToPath(import.meta.url), [String(seconds)], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      NETLAB_BENCH_ATTACK: name,
      NETLAB_BENCH_TARGET: JSON.stringify({
        url: attacker.url,
        token: attacker.token,
        kubeconfig: attacker.kubeconfig,
      }),
    },
  });
  await new Promise((r) => child.once('exit', r));
  finish();
  const s = await samples;
  const p99 = percentile(s, 99);
  console.log(
    `${name.padEnd(46)} n=${String(s.length).padStart(4)}  p50 ${percentile(s, 50).toFixed(1).padStart(5)} ms  p99 ${p99.toFixed(1).padStart(6)} ms  max ${Math.max(
      ...s,
    )
      .toFixed(1)
      .padStart(6)} ms  ${p99 < 50 ? 'ok' : 'OVER 50 ms'}`,
  );
}

async function main(): Promise<void> {
  const bystander = await aServer();
  for (let i = 0; i < 10; i++)
    bystander.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${i}`, namespace: 'default' },
    });
  const attacker = await aServer({}, new HostileRuntime());
  for (const name of Object.keys(LOADS)) {
    if (name.startsWith('Deployments')) continue;
    await measure(name, bystander, attacker);
  }
  await attacker.close();
  const scaling = await SimCluster.start({ name: 'scaler', nodes: 3, propagation: 'fast' });
  await measure('Deployments scaled near the pod quota (2 × 40)', bystander, scaling);
  await scaling.stop();
  await bystander.close();
  console.log(
    `load average: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} cores`,
  );
}

if (process.env.NETLAB_BENCH_ATTACK) await attack(process.env.NETLAB_BENCH_ATTACK);
else await main();
process.exit(0);
