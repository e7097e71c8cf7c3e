/**
 * A sim host: a worker process (forked by SimHost) that holds a bounded number of sim clusters and
 * answers create/delete/list over IPC. Its heap limit is set by the parent (`--max-old-space-size`),
 * so a cluster that exhausts it takes down only this host.
 */
import { SimClusterManager } from '../../sim/cluster-manager';
import type { HostReply, HostRequest } from './sim-host-protocol';

const manager = new SimClusterManager();

async function answer(request: HostRequest): Promise<unknown> {
  switch (request.op) {
    case 'create': {
      const c = await manager.create(request.options);
      return { name: c.name, kubeconfig: c.kubeconfig, createdAt: c.createdAt.toISOString() };
    }
    case 'delete':
      return manager.delete(request.name);
    case 'list':
      return manager.list().map((c) => ({ name: c.name, createdAt: c.createdAt.toISOString() }));
  }
}

process.on('message', (request: HostRequest) => {
  void answer(request).then(
    (result) => process.send?.({ id: request.id, ok: true, result } satisfies HostReply),
    (error: unknown) =>
      process.send?.({
        id: request.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
        reason: (error as { reason?: string }).reason,
      } satisfies HostReply),
  );
});
process.on('disconnect', () => void manager.stopAll().finally(() => process.exit(0)));
process.send?.({ id: 0, ok: true, result: 'ready' } satisfies HostReply);
