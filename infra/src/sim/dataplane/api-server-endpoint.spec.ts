import { describe, expect, it } from 'vitest';
import type { AppHttpRequest } from '../apps/app-model';
import { aPod, aRuntime } from '../runtime/testing/runtime-harness';
import { apiServerAt, isApiServerSocket } from './api-server-endpoint';

const client = { namespace: 'default', name: 'client' };

async function aCluster() {
  const h = await aRuntime();
  h.store.create(
    'pods',
    aPod('client', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
  );
  await h.sut.advance(3000);
  const seen: AppHttpRequest[] = [];
  h.sut.dataplane.apiServer = (request) => {
    seen.push(request);
    return Promise.resolve({ status: 200, statusText: 'OK', headers: {}, body: 'from the API' });
  };
  const apiPod = h.store
    .list('pods', 'kube-system')
    .find((p) => p.metadata.name.startsWith('kube-apiserver-'))!;
  const nodeIp = String((apiPod.status as { podIP?: string }).podIP);
  return { ...h, seen, apiPod, nodeIp };
}

describe(apiServerAt.name, () => {
  it("should find kube-apiserver's hostNetwork socket at the control-plane node's IP and 6443 only", async () => {
    const { sut, store, apiPod, nodeIp } = await aCluster();

    expect(apiServerAt(sut.ctx, sut.kubelet, nodeIp, 6443)).toMatchObject({
      namespace: 'kube-system',
      pod: apiPod.metadata.name,
    });
    expect(apiServerAt(sut.ctx, sut.kubelet, nodeIp, 2379)).toBeUndefined();
    const etcd = store.list('pods', 'kube-system').find((p) => p.metadata.name.startsWith('etcd-'))!;
    expect(isApiServerSocket(sut.ctx, sut.kubelet, 'kube-system', etcd.metadata.name, 6443)).toBe(false);
  });
});

describe('Dataplane to the API server', () => {
  it('should hand a request through the kubernetes Service and to the node IP to the API, over TLS', async () => {
    const { sut, seen, nodeIp } = await aCluster();

    for (const url of ['https://kubernetes.default/version', `https://${nodeIp}:6443/version`]) {
      const answer = await sut.dataplane.http(client, { method: 'GET', url, headers: {} });
      expect(answer, url).toMatchObject({ kind: 'response', status: 200, body: 'from the API' });
    }
    expect(seen.map((r) => [r.path, r.tls, r.local.port])).toEqual([
      ['/version', true, 6443],
      ['/version', true, 6443],
    ]);
  });

  it('should get no answer from the API when kube-apiserver is not running on the node', async () => {
    const { sut, apiPod } = await aCluster();
    const run = sut.kubelet.runOf(apiPod.metadata.uid)!;
    for (const c of run.containers.values()) c.state = 'terminated';

    const answer = await sut.dataplane.http(client, {
      method: 'GET',
      url: 'https://10.96.0.1/version',
      headers: {},
    });

    expect(answer.kind).toBe('failure');
  });
});
