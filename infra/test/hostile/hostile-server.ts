import { randomBytes } from 'node:crypto';
import { ApiServer } from '../../src/sim/api/api-server';
import type { ApiLimits } from '../../src/sim/api/api-limits';
import type { ContainerRuntime } from '../../src/sim/runtime/container-runtime';
import { kubeconfigFor } from '../../src/sim/sim-cluster';
import { ObjectStore, type StoreLimits } from '../../src/sim/store/object-store';
import { markRunning } from '../conformance/fake-runtime';
import type { Target } from './hostile-harness';

/** A bare API server with chosen limits, a `default` namespace and a running pod `box`. */
export async function aServer(
  limits: Partial<ApiLimits> = {},
  runtime?: ContainerRuntime,
  storeLimits: Partial<StoreLimits> = {},
): Promise<Target & { store: ObjectStore; close(): Promise<void> }> {
  const store = new ObjectStore(storeLimits);
  const token = randomBytes(16).toString('hex');
  const server = new ApiServer({ store, token, minor: 33, runtime: () => runtime, limits });
  const url = await server.listen();
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'box', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  });
  markRunning(store, 'default', 'box');
  return { url, token, kubeconfig: kubeconfigFor('hostile', url, token), store, close: () => server.close() };
}
