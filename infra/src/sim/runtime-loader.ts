import type { ObjectStore } from './store/object-store';
import type { ClusterRuntime, ClusterRuntimeOptions } from './runtime/container-runtime';

/** Builds the controllers/kubelets/apps half of a cluster over its store. */
export type ClusterRuntimeFactory = (store: ObjectStore, options: ClusterRuntimeOptions) => ClusterRuntime;

let loaded: Promise<ClusterRuntimeFactory | undefined> | undefined;

/**
 * The runtime engineer's `createClusterRuntime` from `runtime/index.ts`, or undefined while it does not
 * exist yet (the API then serves the store alone: nothing schedules or runs pods).
 */
export function loadRuntimeFactory(): Promise<ClusterRuntimeFactory | undefined> {
  const path = './runtime/index';
  loaded ??= import(/* @vite-ignore */ path).then(
    (m: { createClusterRuntime?: ClusterRuntimeFactory }) => m.createClusterRuntime,
    () => undefined,
  );
  return loaded;
}
