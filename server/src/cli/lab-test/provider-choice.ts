import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { ExternalProvider, createKindProvider, createSimProvider, type ClusterProvider } from '@netlab/infra';

/** Providers `netlab lab test` can use. */
export const PROVIDER_KINDS = ['sim', 'kind', 'external'] as const;
/** One of {@link PROVIDER_KINDS}. */
export type ProviderChoice = (typeof PROVIDER_KINDS)[number];

/** A bad command line, reported as one line with the fix. */
export class UsageError extends Error {}

/** The provider for `--provider`, or a UsageError saying what is missing. */
export function chooseProvider(kind: string, kubeconfigPath?: string): ClusterProvider {
  if (kubeconfigPath && kind !== 'external') {
    throw new UsageError(
      `--kubeconfig is for --provider external; --provider ${kind} makes its own clusters`,
    );
  }
  switch (kind) {
    case 'kind':
      return createKindProvider();
    case 'external': {
      const path = kubeconfigPath ?? process.env.KUBECONFIG?.split(':')[0];
      if (!path) throw new UsageError('--provider external needs --kubeconfig <file> (or KUBECONFIG set)');
      if (!existsSync(path)) throw new UsageError(`--kubeconfig ${path}: no such file`);
      return new ExternalProvider({ kubeconfig: readFileSync(path, 'utf8') });
    }
    case 'sim':
      return createSimProvider();
    default:
      throw new UsageError(`--provider "${kind}" is not one of ${PROVIDER_KINDS.join('|')}`);
  }
}

/** How `lab test` paces itself on a provider. */
export interface LabTestTiming {
  settleTimeoutMs: number;
  /** How long nodes may stay NotReady, with nothing else pending, before settling gives up. */
  notReadyGraceMs: number;
  retryDelayMs: number;
  probeStartTimeoutMs: number;
  /** How long a probe waits for a handshake before calling it dropped. */
  connectTimeoutMs: number;
  /** How long a phase may take to show what the lab declares (a lab's `test.convergeTimeout` replaces it). */
  convergeTimeoutMs: number;
  /** How long the declared state must hold before a phase counts as converged. */
  stableForMs: number;
  /** Pause between grades and between looks while settling. */
  pollMs: number;
  /** Main run and bypasses on their own clusters at once. */
  parallelPhases: boolean;
  /** Labs tested at once. */
  labConcurrency: number;
}

/**
 * Timing that suits the provider: sim clusters cost little and settle in milliseconds, so phases
 * and labs run at once; real clusters take seconds to minutes and 1–2 GiB each, so one at a time.
 */
export function timingFor(kind: string): LabTestTiming {
  return kind === 'sim'
    ? {
        settleTimeoutMs: 15_000,
        notReadyGraceMs: 2000,
        retryDelayMs: 50,
        probeStartTimeoutMs: 10_000,
        connectTimeoutMs: 150,
        // The sim's modelled delays (kube-proxy sync, first readiness probe) are well under a second.
        convergeTimeoutMs: 10_000,
        stableForMs: 1000,
        pollMs: 100,
        parallelPhases: true,
        // A sim lab spends most of its time waiting (convergence, stable windows), not computing.
        labConcurrency: Math.min(8, 2 * availableParallelism()),
      }
    : {
        settleTimeoutMs: 180_000,
        notReadyGraceMs: 30_000,
        retryDelayMs: 1000,
        probeStartTimeoutMs: 120_000,
        connectTimeoutMs: 1000,
        // kube-proxy syncs at most once a second: a verdict that held for 2 s is the cluster's state.
        convergeTimeoutMs: 30_000,
        stableForMs: 2000,
        pollMs: 500,
        parallelPhases: false,
        labConcurrency: 1,
      };
}
