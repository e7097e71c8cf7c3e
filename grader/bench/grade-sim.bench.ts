// Benchmark: grading one lab on the sim, per catalog lab (solved state and fault state), and
// `netlab lab test` for the five seed labs on the sim. Run: npx tsx grader/bench/grade-sim.bench.ts [runs]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
// eslint-disable-next-line no-restricted-imports -- a benchmark needs a cluster; the grader itself never imports infra
import { createSimProvider } from '@netlab/infra';
import { listLabDirs, loadLabOrThrow, type LoadedLab } from '@netlab/labs';
import { applyActions, labNamespaces, runChecks, waitForSettled, type GradeOptions } from '../src';

const RUNS = Number(process.argv[2] ?? 15);
const SEED_LABS = [
  'svc-selector-mismatch',
  'wrong-targetport',
  'localhost-bind',
  'networkpolicy-blocks-api',
  'no-cni',
];
const SIM_OPTIONS: GradeOptions = { retryDelayMs: 50, connectTimeoutMs: 150, probeStartTimeoutMs: 10_000 };
const provider = createSimProvider();

function stats(samples: number[]): { median: number; p90: number; min: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p90: at(0.9), min: s[0]! };
}

type State = 'solved' | 'fault' | 'probe-pod';

async function gradeTimes(lab: LoadedLab, state: State): Promise<number[]> {
  const d = lab.definition;
  const cluster = await provider.create({
    name: `bench-${d.id}`.slice(0, 30) + `-${state.slice(0, 5)}`,
    nodes: d.fault.cluster?.nodes ?? d.cluster.nodes,
    cni: d.fault.cluster?.cni ?? d.cluster.cni,
    networkPolicy: d.cluster.networkPolicy,
  });
  try {
    const kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfig);
    const namespaces = [...labNamespaces(lab), 'kube-system'];
    for (const actions of [d.setup, d.fault.actions, ...(state === 'fault' ? [] : [d.solution.actions])]) {
      await applyActions(kc, lab, actions);
      await waitForSettled(kc, namespaces, { timeoutMs: 15_000 });
    }
    // probe-pod: solved, but every traffic check starts (and deletes) a probe pod.
    const options = { ...SIM_OPTIONS, reuseSourcePods: state !== 'probe-pod' };
    await runChecks(kc, lab, options); // warm-up: discovery caches, first probe image "pull"
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const report = await runChecks(kc, lab, options);
      if (state !== 'fault' && !report.passed) throw new Error(`${d.id}: a solved grade did not pass`);
      times.push(report.durationMs);
    }
    return times;
  } finally {
    await provider.delete(cluster.name);
  }
}

console.log(`grading one lab on the sim, ${RUNS} runs each (ms)`);
console.log('lab                        state      median  p90   min');
for (const dir of listLabDirs()) {
  const lab = loadLabOrThrow(dir, { seed: 'bench' });
  for (const state of ['solved', 'fault', 'probe-pod'] as const) {
    const { median, p90, min } = stats(await gradeTimes(lab, state));
    console.log(
      `${lab.definition.id.padEnd(27)}${state.padEnd(11)}${String(median).padEnd(8)}${String(p90).padEnd(6)}${min}`,
    );
  }
}

const started = performance.now();
const bin = new URL('../../server/bin/netlab.js', import.meta.url).pathname;
const run = await promisify(execFile)(
  process.execPath,
  [bin, 'lab', 'test', '--provider', 'sim', ...SEED_LABS],
  {
    env: { ...process.env, NO_COLOR: '1' },
  },
).catch((e: { stdout: string; code: number }) => ({ stdout: e.stdout, code: e.code }));
const wall = Math.round(performance.now() - started);
console.log(
  `\nnetlab lab test --provider sim (the five seed labs): ${(wall / 1000).toFixed(1)} s wall, process start included`,
);
console.log(
  run.stdout
    .split('\n')
    .filter((l) => /passed, \d+ failed/.test(l))
    .join('\n'),
);
process.exit(0);
