import { randomBytes } from 'node:crypto';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import {
  DEFAULT_PROBE_IMAGE,
  durationMs,
  gradeUntil,
  labNamespaces,
  mapImage,
  type ConvergedGrade,
  type GradeReport,
  unmetNeeds,
} from '@netlab/grader';
import type { ClusterHandle, ClusterSpec } from '@netlab/infra';
import { loadLabOrThrow, type Action, type LoadedLab } from '@netlab/labs';
import { applyLabActions, labClusterNeeds } from '../../clusters/lab-actions';
import type { LabTestOptions, LabTestResult } from './lab-test.types';
import { compareAfterBypass, compareAfterFault, compareAfterSolution } from './expectations';

/**
 * Tests one lab end to end: cluster → setup → fault → checks fail as declared (with the expected
 * diagnosis) → solution → every check passes → each bypass on a fresh copy → the checks that guard
 * against it fail. Every cluster made is deleted, whatever happens.
 */
export async function testLab(dir: string, options: LabTestOptions): Promise<LabTestResult> {
  const started = performance.now();
  const seed = options.seed ?? randomBytes(4).toString('hex');
  const lab = loadLabOrThrow(dir, { seed });
  const d = lab.definition;
  const out = (line: string) => options.out(`  ${line}`);
  options.out(`▶ ${d.id} (seed ${seed}, provider ${options.provider.kind})`);
  const result = (
    status: LabTestResult['status'],
    deviations: string[],
    skipReason?: string,
  ): LabTestResult => ({
    labId: d.id,
    seed,
    status,
    deviations,
    ...(skipReason ? { skipReason } : {}),
    bypasses: d.bypasses.length,
    durationMs: Math.round(performance.now() - started),
  });

  const spec = clusterSpec(lab);
  if (options.provider.kind === 'external' && !spec.cni) {
    const reason = 'its fault needs a fresh cluster without a CNI; an external cluster already has one';
    out(`- skipped: ${reason}`);
    return result('skip', [], reason);
  }
  const unmet = options.clusterReport ? unmetNeeds(lab, options.clusterReport, options.imageMap) : [];
  if (unmet.length) {
    const reason = `the cluster cannot run it: ${unmet.join('; ')}`;
    out(`- skipped: ${reason}`);
    return result('skip', [], reason);
  }

  // Each phase runs on its own cluster; its lines are buffered so phases that run at once still
  // print in order.
  const phases: { name: string; run: (out: (l: string) => void, deviations: string[]) => Promise<void> }[] = [
    {
      name: 'main',
      run: (out, deviations) =>
        withCluster(options, spec, 'main', out, async (handle, kc) => {
          const faulted = await prepare(lab, handle, kc, options, out);
          const fault = await converge(kc, lab, options, (r) => compareAfterFault(lab, r));
          report(
            out,
            'checks under the fault',
            compareAfterFault(lab, fault.report),
            deviations,
            fault,
            faulted,
          );
          const fixed = await act(kc, lab, handle, d.solution.actions, options, out, 'solution');
          const solved = await converge(kc, lab, options, compareAfterSolution);
          report(
            out,
            'checks after the solution',
            compareAfterSolution(solved.report),
            deviations,
            solved,
            fixed,
          );
        }),
    },
    ...d.bypasses.map((bypass) => ({
      name: `bypass ${bypass.id}`,
      run: (out: (l: string) => void, deviations: string[]) =>
        withCluster(options, spec, bypass.id, out, async (handle, kc) => {
          await prepare(lab, handle, kc, options, out);
          const bypassed = await act(kc, lab, handle, bypass.actions, options, out, `bypass ${bypass.id}`);
          const graded = await converge(kc, lab, options, (r) => compareAfterBypass(bypass, r));
          const found = compareAfterBypass(bypass, graded.report);
          report(out, `bypass ${bypass.id} caught`, found, deviations, graded, bypassed);
        }),
    })),
  ];
  const runPhase = async (phase: (typeof phases)[number]) => {
    const lines: string[] = [];
    const found: string[] = [];
    await phase
      .run((l) => lines.push(l), found)
      .catch((error: unknown) => {
        lines.push(`✗ ${phase.name}: ${(error as Error).message}`);
        found.push(`${phase.name}: ${(error as Error).message}`);
      });
    return { lines, found };
  };
  const outcomes = options.parallelPhases
    ? await Promise.all(phases.map(runPhase))
    : await sequential(phases, runPhase, (o) => o.lines.forEach((l) => out(l)));
  if (options.parallelPhases) for (const o of outcomes) o.lines.forEach((l) => out(l));
  const deviations = outcomes.flatMap((o) => o.found);
  const final = result(deviations.length ? 'fail' : 'pass', deviations);
  options.out(
    `${deviations.length ? '✗' : '✓'} ${d.id}: ${deviations.length ? `${deviations.length} deviation(s)` : 'as declared'} in ${(final.durationMs / 1000).toFixed(1)}s`,
  );
  return final;
}

/** The cluster the lab needs while its fault is in place. */
export function clusterSpec(lab: LoadedLab, suffix = ''): Omit<ClusterSpec, 'name'> & { name: string } {
  return {
    name: `lt-${lab.definition.id}${suffix}`,
    ...labClusterNeeds(lab),
    labels: { 'netlab.dev/purpose': 'lab-test', 'netlab.dev/lab': lab.definition.id },
  };
}

async function withCluster(
  options: LabTestOptions,
  base: ClusterSpec,
  phase: string,
  out: (line: string) => void,
  run: (handle: ClusterHandle, kc: KubeConfig) => Promise<void>,
): Promise<void> {
  const spec = {
    ...base,
    name: clusterName(base.name, phase),
  };
  const t = performance.now();
  const handle = await options.provider.create(spec);
  out(`✓ ${phase}: cluster ${handle.name} created in ${ms(t)}`);
  try {
    const kc = new KubeConfig();
    kc.loadFromString(handle.kubeconfig);
    await run(handle, kc);
  } finally {
    await options.provider
      .delete(handle.name)
      .catch((error: unknown) =>
        out(`! could not delete cluster ${handle.name}: ${(error as Error).message}`),
      );
  }
}

async function prepare(
  lab: LoadedLab,
  handle: ClusterHandle,
  kc: KubeConfig,
  options: LabTestOptions,
  out: (l: string) => void,
): Promise<number> {
  if (options.provider.kind === 'external') await refuseForeignNamespaces(kc, lab);
  const setUp = await act(kc, lab, handle, lab.definition.setup, options, out, 'setup');
  if (!lab.definition.fault.actions.length) return setUp;
  return act(kc, lab, handle, lab.definition.fault.actions, options, out, 'fault');
}

/** On a shared cluster, never touch a namespace this run did not create. */
async function refuseForeignNamespaces(kc: KubeConfig, lab: LoadedLab): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const existing = (await core.listNamespace()).items.map((n) => n.metadata?.name);
  const taken = labNamespaces(lab).filter((ns) => existing.includes(ns));
  if (taken.length) {
    throw new Error(
      `namespace ${taken.join(', ')} already exists in the cluster; netlab does not touch namespaces it did not create (delete it, or pick another --seed)`,
    );
  }
}

async function act(
  kc: KubeConfig,
  lab: LoadedLab,
  handle: ClusterHandle,
  actions: Action[],
  options: LabTestOptions,
  out: (l: string) => void,
  what: string,
): Promise<number> {
  const t = performance.now();
  const { changes, settle } = await applyLabActions(kc, lab, actions, handle.name, options);
  const state = settle.settled ? 'settled' : `not settled: ${settle.pending.slice(0, 3).join('; ')}`;
  out(`✓ ${what}: ${changes.length} change${changes.length === 1 ? '' : 's'}, ${state} (${ms(t)})`);
  return t;
}

/**
 * Grades until the checks show what the lab declares for this phase (no deviation) and keep
 * showing it for the stability window, or the lab's convergence timeout passes. A cluster applies a
 * change a moment after the API accepts it; a grade made in between must not count.
 */
function converge(
  kc: KubeConfig,
  lab: LoadedLab,
  options: LabTestOptions,
  deviationsOf: (report: GradeReport) => string[],
): Promise<ConvergedGrade> {
  return gradeUntil(kc, lab, {
    accept: (report) => deviationsOf(report).length === 0,
    timeoutMs: convergeTimeoutMs(lab, options),
    stableForMs: options.stableForMs,
    pollMs: options.pollMs,
    probeImage: mapImage(DEFAULT_PROBE_IMAGE, options.imageMap),
    retryDelayMs: options.retryDelayMs,
    probeStartTimeoutMs: options.probeStartTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs,
  });
}

/** `--converge-timeout` when given, else the lab's `test.convergeTimeout`, else the provider's default. */
export function convergeTimeoutMs(
  lab: LoadedLab,
  options: Pick<LabTestOptions, 'convergeTimeoutMs' | 'convergeTimeoutOverrideMs'>,
): number {
  if (options.convergeTimeoutOverrideMs !== undefined) return options.convergeTimeoutOverrideMs;
  const declared = lab.definition.test.convergeTimeout;
  return declared ? durationMs(declared) : options.convergeTimeoutMs;
}

function report(
  out: (l: string) => void,
  what: string,
  found: string[],
  deviations: string[],
  graded: ConvergedGrade,
  changedAt: number,
): void {
  const last = graded.report;
  const passing = last.checks.filter((c) => c.status === 'pass').length;
  const counts = `${passing}/${last.checks.length} pass, ${graded.grades} grade${graded.grades === 1 ? '' : 's'}`;
  if (graded.converged && !found.length) {
    // From the moment the change was sent to the first grade of the run that held.
    const gradingStarted = performance.now() - graded.durationMs;
    const after = gradingStarted - changedAt + (graded.convergedAfterMs ?? 0);
    out(
      `✓ ${what} as declared: converged ${seconds(after)} after the change, held ${seconds(graded.heldForMs)} (${counts})`,
    );
    return;
  }
  const problems = found.length ? found : ['the checks showed the declared state, but it did not hold'];
  out(
    `✗ ${what}: ${problems.length} deviation${problems.length === 1 ? '' : 's'}, not converged within ${seconds(graded.durationMs)} (${counts})`,
  );
  for (const f of problems) out(`    - ${f}`);
  deviations.push(...problems.map((f) => `${what}: ${f}`));
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A cluster name providers accept (≤ 40 characters), readable: lab, phase, and a random tail. */
export function clusterName(base: string, phase: string): string {
  const part = (text: string, max: number) => text.slice(0, max).replace(/-+$/, '');
  return `${part(base, 22)}-${part(phase, 10)}-${randomBytes(2).toString('hex')}`;
}

async function sequential<T, R>(
  items: T[],
  run: (item: T) => Promise<R>,
  each: (r: R) => void,
): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) {
    const r = await run(item);
    each(r);
    results.push(r);
  }
  return results;
}

function ms(start: number): string {
  return `${Math.round(performance.now() - start)} ms`;
}
