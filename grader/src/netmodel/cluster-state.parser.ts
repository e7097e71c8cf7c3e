import { parseAllDocuments } from 'yaml';
import { GraderError, GraderErrorCode } from '../errors';
import type { ClusterState } from './types';

type KubeObject = { apiVersion?: string; kind?: string; items?: unknown[]; metadata?: { name?: string } };

const KINDS = ['Namespace', 'Pod', 'Service', 'EndpointSlice', 'NetworkPolicy', 'Node'] as const;
/** Kinds a `kubectl get ... -o yaml` dump may hold that the model does not need. */
const IGNORED = new Set([
  'Endpoints',
  'Event',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'Deployment',
  'ReplicaSet',
  'DaemonSet',
  'StatefulSet',
  'Job',
  'CronJob',
  'Ingress',
  'IngressClass',
]);

/**
 * Parses a cluster dump: a `List` (what `kubectl get ns,pods,svc,endpointslices,networkpolicies,nodes
 * -A -o yaml` prints), multi-document YAML, or JSON. EndpointSlices stay undefined when the dump has
 * none, so the model computes them. Throws INVALID_INPUT with the line and what was expected.
 */
export function parseClusterState(text: string): ClusterState {
  const state: ClusterState = { namespaces: [], pods: [], services: [], networkPolicies: [], nodes: [] };
  const slices: NonNullable<ClusterState['endpointSlices']> = [];
  const documents = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false });
  if (!Array.isArray(documents))
    throw invalid(`not valid YAML: ${(documents as { errors?: Error[] }).errors?.[0]?.message ?? 'empty'}`);
  let count = 0;
  documents.forEach((doc, d) => {
    const error = doc.errors[0];
    if (error) throw invalid(`not valid YAML (document ${d + 1}): ${error.message.split('\n')[0]}`);
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return;
    const add = (obj: unknown, where: string) => {
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
        throw invalid(
          `${where}: expected a Kubernetes object (a mapping with kind and metadata), got ${describe(obj)}`,
        );
      }
      const o = obj as KubeObject;
      if (o.kind === 'List' || (o.kind?.endsWith('List') && Array.isArray(o.items))) {
        if (!Array.isArray(o.items)) throw invalid(`${where}: a List needs an items array`);
        o.items.forEach((item, i) => add(item, `${where}.items[${i}]`));
        return;
      }
      if (typeof o.kind !== 'string') {
        throw invalid(`${where}: missing "kind"; expected a List or one of ${KINDS.join(', ')}`);
      }
      if (!o.metadata || typeof o.metadata.name !== 'string') {
        throw invalid(`${where}: ${o.kind} has no metadata.name`);
      }
      count++;
      switch (o.kind) {
        case 'Namespace':
          state.namespaces.push(o as never);
          break;
        case 'Pod':
          state.pods.push(o as never);
          break;
        case 'Service':
          state.services.push(o as never);
          break;
        case 'EndpointSlice':
          slices.push(o as never);
          break;
        case 'NetworkPolicy':
          state.networkPolicies.push(o as never);
          break;
        case 'Node':
          state.nodes.push(o as never);
          break;
        default:
          if (!IGNORED.has(o.kind)) {
            throw invalid(
              `${where}: kind ${o.kind} (${o.metadata.name}) is not understood; expected ${KINDS.join(', ')}`,
            );
          }
      }
    };
    add(value, `document ${d + 1}`);
  });
  if (count === 0) {
    throw invalid(
      'no Kubernetes objects found; expected the output of kubectl get ns,pods,svc,endpointslices,networkpolicies,nodes -A -o yaml',
    );
  }
  if (slices.length > 0) state.endpointSlices = slices;
  return state;
}

function invalid(message: string): GraderError {
  return new GraderError(GraderErrorCode.INVALID_INPUT, `cluster state: ${message}`);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text "${value.slice(0, 40)}${value.length > 40 ? '…' : ''}"`;
  return String(value);
}
