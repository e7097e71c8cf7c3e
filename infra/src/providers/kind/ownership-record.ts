import type { CommandRunner, RunOptions } from '../common/command-runner';
import {
  CLUSTER_LABEL,
  CREATED_AT_LABEL,
  KIND_CLUSTER_LABEL,
  KIND_ROLE_LABEL,
  OWNER_LABEL,
  OWNER_VALUE,
  recordVolumeName,
} from './kind-names';

/** A cluster's ownership record as read back from Docker. */
export interface OwnershipRecord {
  cluster: string;
  createdAt?: Date;
  /** The spec's labels (netlab's own bookkeeping labels removed). */
  labels: Record<string, string>;
}

/** A kind cluster's control-plane container as Docker lists it. */
export interface KindNodeContainer {
  cluster: string;
  createdAt?: Date;
}

/**
 * kind cannot put our labels on its node containers, so each netlab cluster gets an empty docker
 * volume carrying them: it costs nothing, survives a server restart, and one `docker volume ls`
 * reads them all back.
 */
export class OwnershipRecords {
  constructor(private readonly runner: CommandRunner) {}

  /** Writes the record before the cluster exists, so even a half-made cluster is known to be ours. */
  async create(
    cluster: string,
    labels: Record<string, string>,
    createdAt: Date,
    options: RunOptions,
  ): Promise<void> {
    const all = {
      [OWNER_LABEL]: OWNER_VALUE,
      [CLUSTER_LABEL]: cluster,
      [CREATED_AT_LABEL]: createdAt.toISOString(),
      ...labels,
    };
    const flags = Object.entries(all).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
    await this.runner.run(['docker', 'volume', 'create', ...flags, recordVolumeName(cluster)], options);
  }

  /** Removes the record; removing one that does not exist is not an error. */
  async remove(cluster: string, options: RunOptions = {}): Promise<void> {
    await this.runner.run(['docker', 'volume', 'rm', '--force', recordVolumeName(cluster)], options);
  }

  /** Every netlab ownership record on this Docker engine. */
  async list(): Promise<OwnershipRecord[]> {
    const { stdout } = await this.runner.run([
      'docker',
      'volume',
      'ls',
      '--filter',
      `label=${OWNER_LABEL}=${OWNER_VALUE}`,
      '--format',
      '{{.Name}}\t{{.Labels}}',
    ]);
    const records: OwnershipRecord[] = [];
    for (const line of lines(stdout)) {
      const labels = parseLabels(line.split('\t')[1] ?? '');
      const cluster = labels[CLUSTER_LABEL];
      if (!cluster) continue;
      const created = labels[CREATED_AT_LABEL] ? new Date(labels[CREATED_AT_LABEL]) : undefined;
      delete labels[OWNER_LABEL];
      delete labels[CLUSTER_LABEL];
      delete labels[CREATED_AT_LABEL];
      records.push({
        cluster,
        labels,
        createdAt: created && !isNaN(created.getTime()) ? created : undefined,
      });
    }
    return records;
  }

  /** Every kind cluster on this engine, by its control-plane container (what `kind get clusters` reads, plus creation time). */
  async kindClusters(): Promise<KindNodeContainer[]> {
    const { stdout } = await this.runner.run([
      'docker',
      'ps',
      '--all',
      '--filter',
      `label=${KIND_ROLE_LABEL}=control-plane`,
      '--format',
      `{{.Label "${KIND_CLUSTER_LABEL}"}}\t{{.CreatedAt}}`,
    ]);
    const seen = new Map<string, KindNodeContainer>();
    for (const line of lines(stdout)) {
      const [cluster = '', created = ''] = line.split('\t');
      if (cluster && !seen.has(cluster)) seen.set(cluster, { cluster, createdAt: parseDockerTime(created) });
    }
    return [...seen.values()];
  }
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Docker prints labels as `k=v,k2=v2`; values are Kubernetes label values or ISO times, so never hold a comma. */
function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** Docker's `CreatedAt`, e.g. `2026-11-21 20:05:08 +0000 UTC`. */
function parseDockerTime(text: string): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})/.exec(text.trim());
  if (!m) return undefined;
  const d = new Date(`${m[1]}T${m[2]}${m[3]}:${m[4]}`);
  return isNaN(d.getTime()) ? undefined : d;
}
