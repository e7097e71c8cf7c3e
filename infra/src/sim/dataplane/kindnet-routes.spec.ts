import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { as } from '../runtime/context';
import { aPod, aRuntime } from '../runtime/testing/runtime-harness';
import { nodeRoutes, podRoutes } from './kindnet-routes';

describe(podRoutes.name, () => {
  it("should route through the node's gateway as kindnet's ptp plugin does", () => {
    expect(podRoutes('10.244.1.5')).toEqual([
      'default via 10.244.1.1 dev eth0',
      '10.244.1.0/24 via 10.244.1.1 dev eth0 src 10.244.1.5',
      '10.244.1.1 dev eth0 scope link src 10.244.1.5',
    ]);
  });
});

describe(nodeRoutes.name, () => {
  it("should route each other node's pod CIDR via its IP and each local pod to its veth", async () => {
    const { sut, store } = await aRuntime();
    store.create('pods', {
      ...aPod('web', { containers: [{ name: 'w', image: 'nginx:1.27' }] }),
      spec: { nodeName: 'lab-worker', containers: [{ name: 'w', image: 'nginx:1.27' }] },
    });
    await sut.advance(3000);
    const ip = String(as<V1Pod>(store.get('pods', 'default', 'web')!).status?.podIP);

    const routes = nodeRoutes(sut.ctx, 'lab-worker', '172.18.0.3');

    expect(routes[0]).toBe('default via 172.18.0.1 dev eth0');
    expect(routes).toContain('10.244.0.0/24 via 172.18.0.2 dev eth0');
    expect(routes).toContain('10.244.2.0/24 via 172.18.0.4 dev eth0');
    expect(routes.some((r) => r.startsWith('10.244.1.0/24'))).toBe(false);
    expect(routes.find((r) => r.startsWith(`${ip} `))).toMatch(
      /^10\.244\.1\.\d+ dev veth[0-9a-f]{8} scope host$/,
    );
    expect(routes.at(-1)).toBe('172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3');
  });

  it('should list only the docker network when the CNI is not kindnet', async () => {
    const { sut } = await aRuntime({ cniPlugin: 'calico' });

    expect(nodeRoutes(sut.ctx, 'lab-worker', '172.18.0.3')).toEqual([
      'default via 172.18.0.1 dev eth0',
      '172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3',
    ]);
  });
});
