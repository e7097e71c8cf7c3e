import { KubeConfig } from '@kubernetes/client-node';
import { RawObjectApi, waitForSettled } from '@netlab/grader';
import { createSimProvider } from '@netlab/infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// waitForSettled on the sim, whose kubelet models image pulls, container starts and readiness
// probes: "settled" covers bare Pods and Services' EndpointSlices, not only workloads.
const provider = createSimProvider();
const kc = new KubeConfig();
let name = '';

beforeAll(async () => {
  const cluster = await provider.create({ name: 'settle', nodes: 2, cni: true, networkPolicy: true });
  name = cluster.name;
  kc.loadFromString(cluster.kubeconfig);
}, 30_000);
afterAll(() => provider.delete(name));

describe('waitForSettled on the sim', () => {
  it('should wait for a bare pod to pass its first readiness probe and become its Service endpoint', async () => {
    const api = new RawObjectApi(kc);
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    await api.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    } as never);
    await api.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'hashicorp/http-echo:1.0',
            args: ['-listen=:8080', '-text=hi'],
            readinessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 3, periodSeconds: 1 },
          },
        ],
      },
    } as never);

    const early = await waitForSettled(kc, ['shop'], { timeoutMs: 300 });
    expect(early.settled).toBe(false);
    expect(early.pending.join('; ')).toMatch(/pod shop\/web (starting|waiting for its readiness probe)/);

    const sut = await waitForSettled(kc, ['shop'], { timeoutMs: 30_000 });
    expect(sut).toEqual({ settled: true, pending: [] });
    const slices = (await api.get('/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices')) as {
      items: { endpoints?: { conditions?: { ready?: boolean } }[] }[];
    };
    expect(slices.items.flatMap((s) => s.endpoints ?? []).map((e) => e.conditions?.ready)).toEqual([true]);
  }, 60_000);
});
