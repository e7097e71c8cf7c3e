import type { StoredObject } from '../store/object-store';
import { age } from './human-duration';
import { AGE, NAME, ageOf, arr, col, num, printer, rec, str, type Obj } from './printer-helpers';
import type { TablePrinter } from './resource-definition';

/** The Pod printer (printPod). */
export const POD_PRINTERS: Record<string, TablePrinter> = {
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
};

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
