// The Kubernetes networking model: pure functions over Kubernetes objects.
export type * from './types';
export {
  describeLabelSelector,
  describeLabels,
  matchesLabelSelector,
  matchesServiceSelector,
  validateLabelSelector,
  type Labels,
} from './label-selector';
export {
  computeEndpoints,
  computeEndpointSlices,
  ENDPOINTSLICE_CONTROLLER,
  MANAGED_BY_LABEL,
  MAX_ENDPOINTS_PER_SLICE,
  SERVICE_NAME_LABEL,
} from './endpoint-slices';
export {
  declaredPorts,
  findNamedPort,
  isPodReady,
  isPodTerminal,
  isPodTerminating,
  podIPv4,
  resolveTargetPort,
} from './pod-facts';
export { parseClusterState } from './cluster-state.parser';
export { buildNetModel, explain, IndexedNetModel, type PodRef, type ReachMatrix } from './net-model';
export { parseCidr } from './ip-block';
export { policyTypes } from './network-policy.compiler';
export { GraderError, GraderErrorCode } from '../errors';
