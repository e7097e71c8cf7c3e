import { age } from './human-duration';
import { AGE, NAME, ageOf, arr, col, num, printer, rec, str, type Obj } from './printer-helpers';
import type { TablePrinter } from './resource-definition';

/** Printers of nodes, namespaces, config, service accounts and events. */
export const CLUSTER_PRINTERS: Record<string, TablePrinter> = {
  ComponentStatus: printer(
    [
      NAME,
      col('Status', 'string', 0, 'Status of the component conditions'),
      col('Message', 'string', 0, 'Message of the component conditions'),
      col('Error', 'string', 0, 'Error of the component conditions'),
    ],
    (o) => {
      const c = arr(o, 'conditions').find((x) => x.type === 'Healthy') ?? {};
      return [
        o.metadata.name,
        c.status === 'True' ? 'Healthy' : 'Unhealthy',
        str(c.message, ''),
        str(c.error, ''),
      ];
    },
  ),
  Lease: printer(
    [
      NAME,
      col('Holder', 'string', 0, 'holderIdentity contains the identity of the holder of a current lease.'),
      AGE,
    ],
    (o, now) => [o.metadata.name, str(rec(o, 'spec').holderIdentity, ''), ageOf(o, now)],
  ),
  Node: printer(
    [
      NAME,
      col('Status', 'string', 0, 'The status of the node'),
      col('Roles', 'string', 0, 'The roles of the node'),
      AGE,
      col('Version', 'string', 0, 'Kubelet Version reported by the node.'),
      col('Internal-IP', 'string', 1, 'List of addresses reachable to the node.'),
      col('External-IP', 'string', 1, 'List of addresses reachable to the node.'),
      col(
        'OS-Image',
        'string',
        1,
        'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
      ),
      col(
        'Kernel-Version',
        'string',
        1,
        'Kernel Version reported by the node from uname -r (e.g. 3.16.0-0.bpo.4-amd64).',
      ),
      col(
        'Container-Runtime',
        'string',
        1,
        'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
      ),
    ],
    (o, now) => {
      const status = rec(o, 'status');
      const info = rec(status, 'nodeInfo');
      const ready = arr(status, 'conditions').find((c) => c.type === 'Ready');
      const states = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
      if (rec(o, 'spec').unschedulable) states.push('SchedulingDisabled');
      const roles = Object.keys(o.metadata.labels ?? {})
        .filter((k) => k.startsWith('node-role.kubernetes.io/'))
        .map((k) => k.slice('node-role.kubernetes.io/'.length))
        .sort();
      const address = (type: string): string =>
        str(arr(status, 'addresses').find((a) => a.type === type)?.address);
      return [
        o.metadata.name,
        states.join(','),
        roles.length ? roles.join(',') : '<none>',
        ageOf(o, now),
        str(info.kubeletVersion, ''),
        address('InternalIP'),
        address('ExternalIP'),
        str(info.osImage, '<unknown>'),
        str(info.kernelVersion, '<unknown>'),
        str(info.containerRuntimeVersion, '<unknown>'),
      ];
    },
  ),
  Namespace: printer([NAME, col('Status', 'string', 0, 'The status of the namespace'), AGE], (o, now) => [
    o.metadata.name,
    str(rec(o, 'status').phase, 'Active'),
    ageOf(o, now),
  ]),
  ConfigMap: printer(
    [NAME, col('Data', 'string', 0, 'Data contains the configuration data.'), AGE],
    (o, now) => [
      o.metadata.name,
      Object.keys(rec(o, 'data')).length + Object.keys(rec(o, 'binaryData')).length,
      ageOf(o, now),
    ],
  ),
  Secret: printer(
    [
      NAME,
      col('Type', 'string', 0, 'The type of the secret'),
      col('Data', 'string', 0, 'The number of data items'),
      AGE,
    ],
    (o, now) => [o.metadata.name, str(o.type, 'Opaque'), Object.keys(rec(o, 'data')).length, ageOf(o, now)],
  ),
  ServiceAccount: printer(
    [
      NAME,
      col(
        'Secrets',
        'string',
        0,
        'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
      ),
      AGE,
    ],
    (o, now) => [o.metadata.name, arr(o, 'secrets').length, ageOf(o, now)],
  ),
  Event: printer(
    [
      col('Last Seen', 'string', 0, 'Time when last event occurred'),
      col(
        'Type',
        'string',
        0,
        'Type of this event (Normal, Warning), new types could be added in the future.',
      ),
      col('Reason', 'string', 0, 'Why the action was taken.'),
      col('Object', 'string', 0, 'The object that this event is about.'),
      col('Subobject', 'string', 1, 'The field of the object this event is about.'),
      col(
        'Source',
        'string',
        1,
        'The component reporting this event. Should be a short machine understandable string.',
      ),
      col('Message', 'string', 0, 'A human-readable description of the status of this operation.'),
      col('First Seen', 'string', 1, 'The time at which the event was first recorded.'),
      col('Count', 'string', 1, 'The number of times this event has occurred.'),
      { ...NAME, priority: 1 },
    ],
    (o, now) => {
      const e = o as Obj;
      const first = e.firstTimestamp ? age(e.firstTimestamp, now) : age(e.eventTime, now);
      let last = e.lastTimestamp ? age(e.lastTimestamp, now) : first;
      let count = num(e.count) || 1;
      const series = rec(e, 'series');
      if (series.lastObservedTime) {
        last = age(series.lastObservedTime, now);
        count = num(series.count);
      }
      const involved = rec(e, 'involvedObject');
      const kind = String(involved.kind ?? '').toLowerCase();
      const target = involved.name ? `${kind}/${String(involved.name)}` : kind;
      const source = rec(e, 'source');
      const src = source.component
        ? source.host
          ? `${String(source.component)}, ${String(source.host)}`
          : String(source.component)
        : [e.reportingComponent, e.reportingInstance].filter(Boolean).join(', ');
      return [
        last,
        str(e.type, ''),
        str(e.reason, ''),
        target,
        str(involved.fieldPath, ''),
        src,
        String(e.message ?? '').trim(),
        first,
        count,
        o.metadata.name,
      ];
    },
  ),
};
