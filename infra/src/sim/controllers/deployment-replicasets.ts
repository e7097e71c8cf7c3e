import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import type { StoredObject } from '../store/object-store';
import { as, put, type SimContext } from '../runtime/context';
import { stableStringify, templateHash } from '../runtime/names';
import { CHANGE_CAUSE, REVISION, setDeploymentRevision } from './deployment-revisions';
import type { DeploymentStatusWriter } from './deployment-status';
import { ownerRefTo, scaledValue } from './workload-util';

const SOURCE = { component: 'deployment-controller' };
const HASH_LABEL = 'pod-template-hash';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';

type Template = NonNullable<V1Deployment['spec']>['template'];

/** A template without the hash label, to compare a ReplicaSet's template with a Deployment's. */
export function withoutHash(t: Template | undefined): string {
  const copy = structuredClone(t ?? {}) as Template;
  if (copy.metadata?.labels) delete copy.metadata.labels[HASH_LABEL];
  if (copy.metadata && 'creationTimestamp' in copy.metadata)
    delete (copy.metadata as Record<string, unknown>)['creationTimestamp'];
  return stableStringify(copy);
}

/** The desired-replicas and max-replicas annotations a Deployment stamps on its ReplicaSets. */
function sizeAnnotations(d: V1Deployment): Record<string, string> {
  const desired = d.spec?.replicas ?? 1;
  const surge = scaledValue(d.spec?.strategy?.rollingUpdate?.maxSurge as never, desired, '25%', true);
  return {
    [DESIRED]: String(desired),
    [MAX]: String(desired + (d.spec?.strategy?.type === 'Recreate' ? 0 : surge)),
  };
}

/**
 * A Deployment's ReplicaSets: creates the one of a new template (named by its pod-template-hash)
 * and scales them, with the annotations, ScalingReplicaSet events and progress that implies.
 */
export class DeploymentReplicaSets {
  constructor(
    private readonly ctx: SimContext,
    private readonly status: DeploymentStatusWriter,
  ) {}

  /** Creates the ReplicaSet of the Deployment's template at `revision`, then scales it to `replicas`. */
  create(stored: StoredObject, revision: number, replicas: number): StoredObject {
    const d = as<V1Deployment>(stored);
    const { store } = this.ctx;
    const template = structuredClone(d.spec!.template) as Template;
    let collision = 0;
    for (;;) {
      const hash = templateHash(JSON.parse(withoutHash(template)), collision);
      const name = `${stored.metadata.name}-${hash}`;
      const existing = store.get('apps/replicasets', stored.metadata.namespace, name);
      if (existing) {
        collision++;
        continue;
      }
      template.metadata = {
        ...(template.metadata ?? {}),
        labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash },
      };
      const annotations: Record<string, string> = { ...sizeAnnotations(d), [REVISION]: String(revision) };
      const cause = stored.metadata.annotations?.[CHANGE_CAUSE];
      if (cause) annotations[CHANGE_CAUSE] = cause;
      const rs = store.create('apps/replicasets', {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name,
          namespace: stored.metadata.namespace,
          labels: { ...(template.metadata.labels ?? {}) },
          annotations,
          ownerReferences: [ownerRefTo(stored)],
        },
        spec: {
          replicas: 0,
          minReadySeconds: d.spec?.minReadySeconds ?? 0,
          selector: {
            ...(d.spec?.selector ?? {}),
            matchLabels: { ...(d.spec?.selector?.matchLabels ?? {}), [HASH_LABEL]: hash },
          },
          template,
        },
      });
      setDeploymentRevision(this.ctx, stored, revision);
      this.status.setProgressing(stored, 'NewReplicaSetCreated', `Created new replica set "${name}"`);
      return replicas > 0 ? this.scale(stored, rs, replicas) : rs;
    }
  }

  /** Scales `rs` to `to` replicas (a no-op when it has that many) and records ScalingReplicaSet. */
  scale(deploy: StoredObject, rs: StoredObject, to: number): StoredObject {
    const latest = this.ctx.store.get('apps/replicasets', rs.metadata.namespace, rs.metadata.name) ?? rs;
    const from = as<V1ReplicaSet>(latest).spec?.replicas ?? 0;
    if (from === to) return latest;
    const d = as<V1Deployment>(
      this.ctx.store.get('apps/deployments', deploy.metadata.namespace, deploy.metadata.name) ?? deploy,
    );
    const updated = put(this.ctx.store, 'apps/replicasets', {
      ...latest,
      metadata: {
        ...latest.metadata,
        annotations: { ...(latest.metadata.annotations ?? {}), ...sizeAnnotations(d) },
      },
      spec: { ...(latest.spec as object), replicas: to },
    })!;
    const verb = to > from ? 'up' : 'down';
    const message =
      this.ctx.options.minor >= 30
        ? `Scaled ${verb} replica set ${rs.metadata.name} from ${from} to ${to}`
        : `Scaled ${verb} replica set ${rs.metadata.name} to ${to}`;
    this.ctx.events.record(deploy, 'Normal', 'ScalingReplicaSet', message, SOURCE);
    this.status.setProgressing(
      deploy,
      'ReplicaSetUpdated',
      `ReplicaSet "${rs.metadata.name}" is progressing.`,
    );
    return updated;
  }
}
