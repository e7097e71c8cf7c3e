export * from './errors';
export type { CheckResult, CheckStatus, GradeReport } from './grade/grade-report';
export { runChecks } from './grade/run-checks';
export { durationMs } from './grade/duration';
export { RECOMMENDED_STABLE_FOR_MS, type GradeOptions } from './grade/grade-options';
export { GradeSession } from './grade/grade-session';
export { gradeUntil, type ConvergeOptions, type ConvergedGrade } from './grade/grade-until';
export { observeUntilStable, type StabilityOptions } from './grade/stable-verdict';
export { ClientNodeKubeClient, type ExecResult, type KubeClient, type ObjectKey } from './kube/kube-client';
export { DEFAULT_PROBE_IMAGE, PROBE_LABEL } from './probes/probe-pool';
export { applyActions, type ActionOptions, type AppliedChange } from './actions/apply-actions';
export { RawObjectApi, type ObjectApi } from './kube/raw-object-api';
export {
  ClusterConnection,
  type ClientConnectionOptions,
  type ConnectionOptions,
} from './kube/cluster-connection';
export { connectedApiClient } from './kube/client-node-api';
export { mapImage, mapObjectImages, parseImageMap, type ImageMap } from './actions/image-map';
export { labNamespaces } from './actions/lab-namespaces';
export { waitForSettled, type SettleResult } from './actions/wait-settled';
export {
  checkCluster,
  CHECK_SERVER_IMAGE,
  CAPABILITY_CHECK_LABEL,
  type ClusterCheckOptions,
} from './capabilities/check-cluster';
export type {
  CapabilityId,
  CapabilityResult,
  CapabilityStatus,
  ClusterReport,
  ImagePull,
  ServedApi,
} from './capabilities/capability-report';
export { labNeeds, unmetNeeds, type LabNeeds } from './capabilities/lab-needs';
export { MIN_KUBERNETES_VERSION, missingApiMessage } from './kube/missing-api';
