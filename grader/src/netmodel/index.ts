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
