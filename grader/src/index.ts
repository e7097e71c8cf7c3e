export * from './errors';
export type { CheckResult, CheckStatus, GradeReport } from './grade/grade-report';
export { runChecks, type GradeOptions } from './grade/run-checks';
export { ClientNodeKubeClient, type ExecResult, type KubeClient, type ObjectKey } from './kube/kube-client';
export { DEFAULT_PROBE_IMAGE, PROBE_LABEL } from './probes/probe-pool';
export {
  applyActions,
  type ActionOptions,
  type AppliedChange,
  type ObjectApi,
} from './actions/apply-actions';
export { mapImage, mapObjectImages, parseImageMap, type ImageMap } from './actions/image-map';
export { labNamespaces } from './actions/lab-namespaces';
export { waitForSettled, type SettleResult } from './actions/wait-settled';
