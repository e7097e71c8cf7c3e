// Benchmark of the kind warm pool. Run from the repository root:
//   node --import tsx infra/bench/kind-pool.bench.ts                 real kind (needs Docker + kind v0.24+)
//   node --import tsx infra/bench/kind-pool.bench.ts --fake          the claim path against a fake command runner
// Options: --lab <id> (default example-hello), --runs <n> (default 3 real / 10000 fake).
// Real mode reports: cold create (provider.create, 2 nodes + kindnet, images preloaded), and
// claim-from-pool → lab setup applied → its pods Ready; the target for the latter is ≤ 2 s.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { listLabDirs, loadLabOrThrow } from '@netlab/labs';
import { stringify } from 'yaml';
import { ExecCommandRunner } from '../src/providers/common/command-runner';
import type { FakeCommandRunner } from '../src/providers/common/fake-command-runner';
import { KindProvider } from '../src/providers/kind/kind.provider';
import { createKindProvider } from '../src/providers/kind/kind-provider.factory';
import { fakeHostFacts, healthyKindRunner } from '../src/providers/kind/testing/kind-fakes';
import { WarmPool } from '../src/pool/warm-pool';

const { values } = parseArgs({
  options: {
    fake: { type: 'boolean', default: false },
    lab: { type: 'string', default: 'example-hello' },
    runs: { type: 'string' },
  },
});

function stats(label: string, samples: number[], unit: 'ms' | 'µs'): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const f = (v: number) => (unit === 'µs' ? (v * 1000).toFixed(1) : v.toFixed(0));
  console.log(
    `${label}: n=${samples.length} median ${f(at(0.5))} ${unit}, p95 ${f(at(0.95))} ${unit}, max ${f(at(1))} ${unit}`,
  );
}

/** Waits until the pool's only profile has `count` warm clusters; gives up after three failed creates in a row. */
async function waitWarm(pool: WarmPool, count: number): Promise<void> {
  for (;;) {
    await pool.settled();
    const status = pool.status()[0]!;
    if (status.warm >= count) return;
    if (status.failuresInARow >= 3) throw new Error(`the pool cannot create clusters: ${status.lastError}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function fakeBench(runs: number): Promise<void> {
  const runner: FakeCommandRunner = healthyKindRunner().on(['kind', 'get', 'clusters'], { stdout: '' });
  const provider = new KindProvider({
    runner,
    images: ['netlab/toolbox:0.1.0'],
    host: { facts: fakeHostFacts() },
  });
  const profile = { nodes: 2, cni: true };
  const pool = new WarmPool({ provider, targets: [{ profile, size: runs }] });
  const fill = performance.now();
  await pool.start();
  await waitWarm(pool, runs);
  console.log(
    `fake runner: filled a pool of ${runs} in ${(performance.now() - fill).toFixed(0)} ms (${runner.calls.length} commands)`,
  );
  await pool.stop();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const handle = pool.claim(profile);
    samples.push(performance.now() - t);
    if (!handle) throw new Error('pool ran dry');
  }
  stats('claim (fake runner, in-process)', samples, 'µs');
}

async function realBench(runs: number, labId: string): Promise<void> {
  const run = new ExecCommandRunner();
  const labDir = listLabDirs().find((d) => d.endsWith(`/${labId}`));
  if (!labDir) throw new Error(`no lab "${labId}" in labs/catalog`);
  const lab = loadLabOrThrow(labDir);
  const setup = lab.definition.setup.flatMap((a) => ('apply' in a ? (lab.manifests[a.apply] ?? []) : []));
  // What "ready" means for the lab: every workload rolled out and every bare pod Ready.
  const waits = setup.flatMap((o) => {
    const ns = o.metadata?.namespace ?? 'default';
    const name = o.metadata?.name ?? '';
    if (['Deployment', 'DaemonSet', 'StatefulSet'].includes(o.kind ?? '')) {
      return [['rollout', 'status', `${(o.kind ?? '').toLowerCase()}/${name}`, '-n', ns, '--timeout=120s']];
    }
    if (o.kind === 'Pod')
      return [['wait', '--for=condition=Ready', `pod/${name}`, '-n', ns, '--timeout=120s']];
    return [];
  });
  const needs = { ...lab.definition.cluster, ...lab.definition.fault.cluster };
  const profile = { nodes: needs.nodes, cni: needs.cni };
  const scratch = mkdtempSync(join(tmpdir(), 'netlab-bench-'));
  const manifest = join(scratch, 'setup.yaml');
  writeFileSync(manifest, setup.map((o) => stringify(o)).join('---\n'));
  const provider = createKindProvider();
  try {
    const cold: number[] = [];
    for (let i = 0; i < runs; i++) {
      const name = `netlab-bench-cold-${i}`;
      const t = performance.now();
      await provider.create({ name, nodes: profile.nodes, cni: profile.cni, networkPolicy: true });
      cold.push(performance.now() - t);
      await provider.delete(name);
    }
    stats(`cold create (${profile.nodes} nodes, cni ${profile.cni}, images preloaded)`, cold, 'ms');

    const pool = new WarmPool({ provider, targets: [{ profile, size: 1 }] });
    await pool.start();
    const claimed: string[] = [];
    const claim: number[] = [];
    const ready: number[] = [];
    for (let i = 0; i < runs; i++) {
      await waitWarm(pool, 1);
      const t = performance.now();
      const handle = pool.claim(profile)!;
      claim.push(performance.now() - t);
      claimed.push(handle.name);
      const kubeconfig = join(scratch, `${handle.name}.kubeconfig`);
      writeFileSync(kubeconfig, handle.kubeconfig);
      await run.run(['kubectl', '--kubeconfig', kubeconfig, 'apply', '-f', manifest]);
      for (const wait of waits) await run.run(['kubectl', '--kubeconfig', kubeconfig, ...wait]);
      ready.push(performance.now() - t);
    }
    stats('claim from warm pool', claim, 'ms');
    stats(`claim → ${labId} setup applied → pods Ready (target ≤ 2000 ms)`, ready, 'ms');
    await pool.stop({ drain: true });
    for (const name of claimed) await provider.delete(name);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function dockerAvailable(): Promise<boolean> {
  try {
    await new ExecCommandRunner().run(['docker', 'info', '--format', '{{.ServerVersion}}'], {
      timeoutMs: 10_000,
    });
    return true;
  } catch {
    return false;
  }
}

if (values.fake) {
  await fakeBench(Number(values.runs ?? 10_000));
} else if (await dockerAvailable()) {
  await realBench(Number(values.runs ?? 3), values.lab);
} else {
  console.log(
    'NOT MEASURED: no Docker engine here, so the real kind numbers cannot be taken. Measuring the fake-runner claim path instead.',
  );
  await fakeBench(Number(values.runs ?? 10_000));
}
