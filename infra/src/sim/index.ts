export {
  ObjectStore,
  type NewObject,
  type ObjectMeta,
  type StoreEvent,
  type StoredObject,
} from './store/object-store';
export { StoreError, StoreErrorReason } from './store/store-error';
export type {
  ContainerRuntime,
  ContainerTarget,
  LogOptions,
  ProcessIO,
  TerminalSize,
} from './runtime/container-runtime';
export {
  runShell,
  VirtualClock,
  realClock,
  knownPrograms,
  type RunShellOptions,
  type ShellClock,
  type ShellHost,
  type HttpRequest,
  type HttpOutcome,
  type IcmpVerdict,
  type NetInterface,
} from './shell';
export {
  createClusterRuntime,
  SimClusterRuntime,
  ManualClock,
  systemClock,
  DEFAULT_TIMING,
  FAST_PROPAGATION,
  REALISTIC_PROPAGATION,
  resolvePropagation,
  type PropagationDelays,
  type PropagationSetting,
  type Clock,
  type KubeletTiming,
  type SimRuntimeExtras,
  type ClusterRuntime,
  type ClusterRuntimeOptions,
} from './runtime';
export { SimCluster, kubeconfigFor, type SimClusterOptions, type ClusterRuntimeFactory } from './sim-cluster';
export {
  DECLARABLE_MODELS,
  declaredCatalogImage,
  IMAGE_CATALOG,
  type CatalogImage,
  type ImageDeclaration,
} from './apps/image-catalog';
export { SimClusterManager, SimClusterManagerError } from './cluster-manager';
export { ApiServer, type ApiServerOptions } from './api/api-server';
