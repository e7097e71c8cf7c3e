import { ProviderError, ProviderErrorCode } from '../../errors';
import type { ClusterHandle, ClusterSpec, ClusterSummary } from '../../providers/provider';
import type { PoolProvider } from '../warm-pool';

/** A create the test finishes by hand. */
export interface PendingCreate {
  spec: ClusterSpec;
  signal?: AbortSignal;
  succeed(): void;
  fail(message?: string): void;
}

/**
 * An in-memory provider for pool and reaper tests: creates wait until the test settles them
 * (or settle at once with `autoCreate`), and it records every call.
 */
export class FakeProvider implements PoolProvider {
  readonly kind = 'kind' as const;
  readonly clusters = new Map<string, ClusterSummary>();
  readonly pending: PendingCreate[] = [];
  readonly created: string[] = [];
  readonly deleted: string[] = [];
  /** Most creates running at the same time so far. */
  maxConcurrent = 0;
  autoCreate = false;
  failNext = 0;
  private running = 0;

  constructor(private readonly now: () => Date = () => new Date('2026-11-21T20:00:00Z')) {}

  create(spec: ClusterSpec, signal?: AbortSignal): Promise<ClusterHandle> {
    this.running += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.running);
    return new Promise<ClusterHandle>((resolve, reject) => {
      const done = () => (this.running -= 1);
      const pending: PendingCreate = {
        spec,
        signal,
        succeed: () => {
          done();
          this.clusters.set(spec.name, {
            name: spec.name,
            provider: 'kind',
            createdAt: this.now(),
            labels: spec.labels ?? {},
          });
          this.created.push(spec.name);
          resolve(this.handle(spec));
        },
        fail: (message = 'kind create failed') => {
          done();
          reject(new ProviderError(ProviderErrorCode.CREATE_FAILED, message));
        },
      };
      signal?.addEventListener('abort', () => pending.fail('cancelled'), { once: true });
      if (this.failNext > 0) {
        this.failNext -= 1;
        pending.fail();
      } else if (this.autoCreate) pending.succeed();
      else this.pending.push(pending);
    });
  }

  async delete(name: string): Promise<void> {
    this.deleted.push(name);
    this.clusters.delete(name);
  }

  async list(): Promise<ClusterSummary[]> {
    return [...this.clusters.values()];
  }

  async handleFor(summary: ClusterSummary, spec: ClusterSpec): Promise<ClusterHandle> {
    return { ...this.handle(spec), createdAt: summary.createdAt };
  }

  /** Settles the oldest pending create. */
  next(): PendingCreate {
    const p = this.pending.shift();
    if (!p) throw new Error('FakeProvider: no create is pending');
    return p;
  }

  private handle(spec: ClusterSpec): ClusterHandle {
    return {
      name: spec.name,
      provider: 'kind',
      kubeconfig: `kubeconfig of ${spec.name}`,
      createdAt: this.now(),
      spec,
    };
  }
}
