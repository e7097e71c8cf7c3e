import {
  AGE,
  NAME,
  WORKLOAD_WIDE,
  ageOf,
  col,
  containersAndImages,
  formatLabelSelector,
  formatLabels,
  num,
  printer,
  rec,
  type Obj,
} from './printer-helpers';
import type { TablePrinter } from './resource-definition';

/** Printers of the apps/v1 kinds. */
export const WORKLOAD_PRINTERS: Record<string, TablePrinter> = {
  Deployment: printer(
    [
      NAME,
      col('Ready', 'string', 0, 'Number of the pod with ready state'),
      col(
        'Up-to-date',
        'integer',
        0,
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      ),
      col(
        'Available',
        'integer',
        0,
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      ),
      AGE,
      ...WORKLOAD_WIDE,
    ],
    (o, now) => {
      const spec = rec(o, 'spec');
      const status = rec(o, 'status');
      const [containers, images] = containersAndImages(rec(spec, 'template', 'spec'));
      return [
        o.metadata.name,
        `${num(status.readyReplicas)}/${num(spec.replicas)}`,
        num(status.updatedReplicas),
        num(status.availableReplicas),
        ageOf(o, now),
        containers,
        images,
        formatLabelSelector(spec.selector),
      ];
    },
  ),
  ReplicaSet: printer(
    [
      NAME,
      col('Desired', 'integer', 0, 'Replicas is the number of desired replicas.'),
      col('Current', 'integer', 0, 'Replicas is the most recently observed number of replicas.'),
      col('Ready', 'integer', 0, 'The number of ready replicas for this replica set.'),
      AGE,
      ...WORKLOAD_WIDE,
    ],
    (o, now) => {
      const spec = rec(o, 'spec');
      const status = rec(o, 'status');
      const [containers, images] = containersAndImages(rec(spec, 'template', 'spec'));
      return [
        o.metadata.name,
        num(spec.replicas),
        num(status.replicas),
        num(status.readyReplicas),
        ageOf(o, now),
        containers,
        images,
        formatLabelSelector(spec.selector),
      ];
    },
  ),
  DaemonSet: printer(
    [
      NAME,
      col('Desired', 'integer', 0, 'The total number of nodes that should be running the daemon pod.'),
      col(
        'Current',
        'integer',
        0,
        'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
      ),
      col(
        'Ready',
        'integer',
        0,
        'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
      ),
      col('Up-to-date', 'integer', 0, 'The total number of nodes that are running updated daemon pod'),
      col(
        'Available',
        'integer',
        0,
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
      ),
      col(
        'Node Selector',
        'string',
        0,
        'NodeSelector is a selector which must be true for the pod to fit on a node.',
      ),
      AGE,
      ...WORKLOAD_WIDE,
    ],
    (o, now) => {
      const spec = rec(o, 'spec');
      const status = rec(o, 'status');
      const podSpec = rec(spec, 'template', 'spec');
      const [containers, images] = containersAndImages(podSpec);
      return [
        o.metadata.name,
        num(status.desiredNumberScheduled),
        num(status.currentNumberScheduled),
        num(status.numberReady),
        num(status.updatedNumberScheduled),
        num(status.numberAvailable),
        formatLabels(podSpec.nodeSelector),
        ageOf(o, now),
        containers,
        images,
        formatLabelSelector(spec.selector),
      ];
    },
  ),
  StatefulSet: printer(
    [
      NAME,
      col('Ready', 'string', 0, 'Number of the pod with ready state'),
      AGE,
      ...WORKLOAD_WIDE.slice(0, 2),
    ],
    (o, now) => {
      const spec = rec(o, 'spec');
      const status = rec(o, 'status');
      const [containers, images] = containersAndImages(rec(spec, 'template', 'spec'));
      return [
        o.metadata.name,
        `${num(status.readyReplicas)}/${num(spec.replicas)}`,
        ageOf(o, now),
        containers,
        images,
      ];
    },
  ),
  ControllerRevision: printer(
    [
      NAME,
      col('Controller', 'string', 0, 'Controller of the object'),
      col('Revision', 'integer', 0, 'Revision of the ControllerRevision'),
      AGE,
    ],
    (o, now) => {
      const owner = o.metadata.ownerReferences?.find((r) => r.controller);
      const ctrl = owner
        ? `${owner.kind.toLowerCase()}.${owner.apiVersion.split('/')[0]}/${owner.name}`
        : '<none>';
      return [o.metadata.name, ctrl, num((o as Obj).revision), ageOf(o, now)];
    },
  ),
};
