// Benchmark of the networking model: `npx tsx grader/bench/reach.bench.ts` (numbers go into grader/README.md).
// Prints the time to index, the median/p95 of single reach queries, and a full pods × pods matrix.
import { performance } from 'node:perf_hooks';
import { buildNetModel } from '../src/netmodel/net-model';
import type { ReachQuery } from '../src/netmodel/types';
import { random, syntheticCluster } from './synthetic-cluster';

const size = { pods: 1000, services: 200, policies: 300 };
const state = syntheticCluster(size);
const pods = state.pods
  .filter((p) => p.metadata?.namespace !== 'kube-system')
  .map((p) => ({ namespace: p.metadata!.namespace!, name: p.metadata!.name! }));
const services = state.services.filter((s) => s.metadata?.namespace !== 'kube-system');

const t0 = performance.now();
const model = buildNetModel(state);
const indexMs = performance.now() - t0;

const rnd = random(7);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
const queries: ReachQuery[] = Array.from({ length: 2000 }, (_, i) => {
  const from = { pod: pick(pods) };
  if (i % 2 === 0) return { from, to: { pod: pick(pods) }, port: 8080 };
  const svc = pick(services);
  return { from, to: { dns: `${svc.metadata!.name}.${svc.metadata!.namespace}` }, port: 80 };
});

function timeEach(list: ReachQuery[]): number[] {
  return list.map((q) => {
    const start = performance.now();
    model.reach(q);
    return performance.now() - start;
  });
}
timeEach(queries.slice(0, 200)); // warm-up: JIT and the lazy per-peer caches
const times = timeEach(queries).sort((a, b) => a - b);
const verdicts = new Map<string, number>();
for (const q of queries) {
  const v = model.reach(q).verdict;
  verdicts.set(v, (verdicts.get(v) ?? 0) + 1);
}

const m0 = performance.now();
const matrix = model.matrix(pods, pods, 8080, 'TCP');
const matrixMs = performance.now() - m0;
let connected = 0;
for (const row of matrix.verdicts) for (const v of row) if (v === 'connected') connected++;

const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
console.log(
  `cluster: ${size.pods} pods, ${size.services} Services, ${size.policies} NetworkPolicies (node ${process.version})`,
);
console.log(`index (buildNetModel): ${fmt(indexMs)}`);
console.log(
  `reach, ${times.length} queries (half pod→pod, half pod→Service by DNS name): median ${fmt(times[Math.floor(times.length / 2)]!)}, p95 ${fmt(times[Math.floor(times.length * 0.95)]!)}, max ${fmt(times.at(-1)!)}`,
);
console.log(`  verdicts: ${[...verdicts].map(([v, n]) => `${n} ${v}`).join(', ')}`);
console.log(`matrix ${pods.length} × ${pods.length} on TCP 8080: ${fmt(matrixMs)} (${connected} connected)`);
