// The cluster behind the sim's API: controllers, scheduler, kubelets, app models and dataplane.
import type { ObjectStore } from '../store/object-store';
import type { ClusterRuntimeOptions } from './container-runtime';
import { SimClusterRuntime, type SimRuntimeExtras } from './cluster-runtime';

export { SimClusterRuntime, type SimRuntimeExtras } from './cluster-runtime';
export { ManualClock, SystemClock, systemClock, type Clock, type TimerHandle } from './clock';
export { DEFAULT_TIMING, type KubeletTiming } from './kubelet';
export {
  FAST_PROPAGATION,
  REALISTIC_PROPAGATION,
  resolvePropagation,
  type PropagationDelays,
  type PropagationSetting,
} from './propagation';
export type * from './container-runtime';

/** Creates the runtime of one cluster over its store; call `start()` to bootstrap and run it. */
export function createClusterRuntime(
  store: ObjectStore,
  options: ClusterRuntimeOptions,
  extras?: SimRuntimeExtras,
): SimClusterRuntime {
  return new SimClusterRuntime(store, options, extras);
}
