import type { StoredObject } from '../store/object-store';
import { age } from './human-duration';
import {
  AGE,
  NAME,
  WORKLOAD_WIDE,
  ageOf,
  arr,
  col,
  containersAndImages,
  formatLabelSelector,
  formatLabels,
  joinMore,
  num,
  printer,
  rec,
  str,
  type Obj,
} from './printer-helpers';
import type { TablePrinter } from './resource-definition';

/** Columns and cells of `kubectl get`, per kind, after kubernetes' pkg/printers/internalversion/printers.go. */
export const TABLE_PRINTERS: Record<string, TablePrinter> = {
  Pod: printer(
    [
      NAME,
      col('Ready', 'string', 0, 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'string', 0, 'The aggregate status of the containers in this pod.'),
      col(
        'Restarts',
        'string',
        0,
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      ),
      AGE,
      col(
        'IP',
        'string',
        1,
        'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
      ),
      col('Node', 'string', 1, 'NodeName is a request to schedule this pod onto a specific node.'),
      col(
        'Nominated Node',
        'string',
        1,
        'nominatedNodeName is set only when this pod preempts other pods on the node.',
      ),
      col(
        'Readiness Gates',
        'string',
        1,
        'If specified, all readiness gates will be evaluated for pod readiness.',
      ),
    ],
    (o, now) => {
      const s = podStatus(o, now);
      const gates = arr(o, 'spec', 'readinessGates');
      const conds = arr(o, 'status', 'conditions');
      const gateCell = gates.length
        ? `${gates.filter((g) => conds.some((c) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}`
        : '<none>';
      return [
        o.metadata.name,
        s.ready,
        s.reason,
        s.restarts,
        ageOf(o, now),
        str(rec(o, 'status').podIP),
        str(rec(o, 'spec').nodeName),
        str(rec(o, 'status').nominatedNodeName),
        gateCell,
      ];
    },
  ),
  Service: printer(
    [
      NAME,
      col('Type', 'string', 0, 'type determines how the Service is exposed.'),
      col('Cluster-IP', 'string', 0, 'clusterIP is the IP address of the service.'),
      col(
        'External-IP',
        'string',
        0,
        'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
      ),
      col('Port(s)', 'string', 0, 'The list of ports that are exposed by this service.'),
      AGE,
      col(
        'Selector',
        'string',
        1,
        'Route service traffic to pods with label keys and values matching this selector.',
      ),
    ],
    (o, now) => {
      const spec = rec(o, 'spec');
      const ports = arr(spec, 'ports').map((p) =>
        p.nodePort
          ? `${num(p.port)}:${num(p.nodePort)}/${str(p.protocol, 'TCP')}`
          : `${num(p.port)}/${str(p.protocol, 'TCP')}`,
      );
      return [
        o.metadata.name,
        str(spec.type, 'ClusterIP'),
        str(spec.clusterIP),
        serviceExternalIp(o),
        ports.length ? ports.join(',') : '<none>',
        ageOf(o, now),
        formatLabels(spec.selector),
      ];
    },
  ),
  Endpoints: printer([NAME, col('Endpoints', 'string', 0, 'Endpoints of the service'), AGE], (o, now) => {
    const items: string[] = [];
    for (const s of arr(o, 'subsets')) {
      const ports = arr(s, 'ports');
      for (const a of arr(s, 'addresses')) {
        if (ports.length === 0) items.push(String(a.ip));
        for (const p of ports) items.push(`${String(a.ip)}:${num(p.port)}`);
      }
    }
    return [o.metadata.name, items.length ? joinMore(items) : '<none>', ageOf(o, now)];
  }),
  EndpointSlice: printer(
    [
      NAME,
      col('AddressType', 'string', 0, 'The IP protocol for this slice'),
      col('Ports', 'string', 0, 'The ports for this slice'),
      col('Endpoints', 'string', 0, 'First 3 endpoints for this slice'),
      AGE,
    ],
    (o, now) => {
      const ports = arr(o, 'ports').map((p) => (typeof p.port === 'number' ? String(p.port) : '<unset>'));
      const addrs = arr(o, 'endpoints').flatMap((e) =>
        Array.isArray(e.addresses) ? (e.addresses as string[]) : [],
      );
      return [
        o.metadata.name,
        str(o.addressType, ''),
        ports.length ? ports.join(',') : '<unset>',
        addrs.length ? joinMore(addrs) : '<unset>',
        ageOf(o, now),
      ];
    },
  ),
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
  NetworkPolicy: printer(
    [
      NAME,
      col('Pod-Selector', 'string', 0, 'Selects the pods to which this NetworkPolicy object applies.'),
      AGE,
    ],
    (o, now) => [o.metadata.name, formatLabelSelector(rec(o, 'spec').podSelector), ageOf(o, now)],
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
  Ingress: printer(
    [
      NAME,
      col('Class', 'string', 0, 'ingressClassName is the name of an IngressClass cluster resource.'),
      col('Hosts', 'string', 0, 'Hosts that incoming requests are matched against before the ingress rule'),
      col('Address', 'string', 0, 'Address is a list containing ingress points for the load-balancer'),
      col('Ports', 'string', 0, 'Ports of TLS configurations that open'),
      AGE,
    ],
    (o, now) => {
      const spec = rec(o, 'spec');
      const hosts = arr(spec, 'rules').map((r) => str(r.host, '*'));
      const addrs = arr(o, 'status', 'loadBalancer', 'ingress').map((i) => String(i.ip ?? i.hostname ?? ''));
      return [
        o.metadata.name,
        str(spec.ingressClassName),
        hosts.length ? joinMore(hosts) : '*',
        addrs.join(','),
        arr(spec, 'tls').length ? '80, 443' : '80',
        ageOf(o, now),
      ];
    },
  ),
  IngressClass: printer(
    [
      NAME,
      col('Controller', 'string', 0, 'Controller that is responsible for handling this class'),
      col('Parameters', 'string', 0, 'A reference to a resource with additional parameters'),
      AGE,
    ],
    (o, now) => {
      const p = rec(o, 'spec', 'parameters');
      return [
        o.metadata.name,
        str(rec(o, 'spec').controller, ''),
        p.name ? `${String(p.kind)}/${String(p.name)}` : '<none>',
        ageOf(o, now),
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

/** The default printer for kinds without their own: Name and Age. */
export const DEFAULT_PRINTER: TablePrinter = printer([NAME, AGE], (o, now) => [
  o.metadata.name,
  ageOf(o, now),
]);

function serviceExternalIp(o: StoredObject): string {
  const spec = rec(o, 'spec');
  const external = Array.isArray(spec.externalIPs) ? (spec.externalIPs as string[]) : [];
  switch (spec.type) {
    case 'ExternalName':
      return str(spec.externalName);
    case 'LoadBalancer': {
      const lb = arr(o, 'status', 'loadBalancer', 'ingress').map((i) => String(i.ip ?? i.hostname ?? ''));
      const all = [...lb, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    default:
      return external.length ? external.join(',') : '<none>';
  }
}

interface PodSummary {
  ready: string;
  reason: string;
  restarts: string;
}

/** printPod's STATUS, READY and RESTARTS logic. */
export function podStatus(o: StoredObject, now: number): PodSummary {
  const spec = rec(o, 'spec');
  const status = rec(o, 'status');
  let reason = str(status.reason, str(status.phase, ''));
  let restarts = 0;
  let lastRestart = 0;
  const noteRestart = (c: Obj): void => {
    restarts += num(c.restartCount);
    const finished = rec(c, 'lastState', 'terminated').finishedAt;
    if (typeof finished === 'string') lastRestart = Math.max(lastRestart, Date.parse(finished));
  };
  let initializing = false;
  const inits = arr(status, 'initContainerStatuses');
  const initSpecs = arr(spec, 'initContainers');
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i]!;
    noteRestart(c);
    const term = rec(c, 'state', 'terminated');
    const wait = rec(c, 'state', 'waiting');
    if (c.state && 'terminated' in rec(c, 'state') && num(term.exitCode) === 0) continue;
    if (initSpecs[i]?.restartPolicy === 'Always' && c.started) continue;
    if ('terminated' in rec(c, 'state')) {
      reason = term.reason
        ? `Init:${String(term.reason)}`
        : term.signal
          ? `Init:Signal:${num(term.signal)}`
          : `Init:ExitCode:${num(term.exitCode)}`;
    } else if (wait.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${String(wait.reason)}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }
  let ready = 0;
  const conditions = arr(status, 'conditions');
  const initialized = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = 0;
    lastRestart = 0;
    let hasRunning = false;
    const cs = arr(status, 'containerStatuses');
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i]!;
      noteRestart(c);
      const st = rec(c, 'state');
      if (rec(st, 'waiting').reason) reason = String(rec(st, 'waiting').reason);
      else if (rec(st, 'terminated').reason) reason = String(rec(st, 'terminated').reason);
      else if ('terminated' in st) {
        const t = rec(st, 'terminated');
        reason = t.signal ? `Signal:${num(t.signal)}` : `ExitCode:${num(t.exitCode)}`;
      } else if (c.ready && 'running' in st) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  if (o.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  const restartCell = lastRestart
    ? `${restarts} (${age(new Date(lastRestart).toISOString(), now)} ago)`
    : String(restarts);
  return { ready: `${ready}/${arr(spec, 'containers').length}`, reason, restarts: restartCell };
}
