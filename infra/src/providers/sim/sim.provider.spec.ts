import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderErrorCode } from '../../errors';
import { SimProvider } from './sim.provider';

describe(SimProvider.name, () => {
  const sut = new SimProvider();
  afterEach(async () => {
    for (const c of await sut.list()) await sut.delete(c.name);
  });

  it('should create a cluster whose kubeconfig reaches its own API over trusted TLS', async () => {
    const handle = await sut.create({
      name: 'p1',
      nodes: 2,
      cni: true,
      networkPolicy: true,
      labels: { attempt: 'a1' },
    });
    const kc = new k8s.KubeConfig();
    kc.loadFromString(handle.kubeconfig);
    const nodes = await kc.makeApiClient(k8s.CoreV1Api).listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(['p1-control-plane', 'p1-worker']);
    expect(await sut.list()).toEqual([
      { name: 'p1', provider: 'sim', createdAt: handle.createdAt, labels: { attempt: 'a1' } },
    ]);
  });

  it('should keep clusters apart, each with its own endpoint and token', async () => {
    const a = await sut.create({ name: 'a', nodes: 1, cni: true, networkPolicy: true });
    const b = await sut.create({ name: 'b', nodes: 1, cni: true, networkPolicy: true });
    const core = (kubeconfig: string) => {
      const kc = new k8s.KubeConfig();
      kc.loadFromString(kubeconfig);
      return kc.makeApiClient(k8s.CoreV1Api);
    };
    await core(a.kubeconfig).createNamespace({ body: { metadata: { name: 'only-in-a' } } });
    const inB = await core(b.kubeconfig).listNamespace();
    expect(inB.items.map((n) => n.metadata?.name)).not.toContain('only-in-a');
    const aServer = /server: (\S+)/.exec(a.kubeconfig)![1];
    const bToken = /token: (\S+)/.exec(b.kubeconfig)![1];
    const crossed = a.kubeconfig.replace(/token: \S+/, `token: ${bToken}`);
    expect(crossed).toContain(aServer);
    await expect(core(crossed).listNamespace()).rejects.toMatchObject({ code: 401 });
  });

  it.each([
    [{ name: 'Bad_Name', nodes: 1 }, ProviderErrorCode.INVALID_SPEC, 'cluster name "Bad_Name" is invalid'],
    [
      { name: 'zero', nodes: 0 },
      ProviderErrorCode.INVALID_SPEC,
      'nodes must be a whole number from 1 to 20, got 0',
    ],
  ])('should refuse %o with %s', async (spec, code, message) => {
    await expect(sut.create({ cni: true, networkPolicy: true, ...spec })).rejects.toMatchObject({
      code,
      message: expect.stringContaining(message),
    });
  });

  it('should refuse a name in use and forget a deleted cluster', async () => {
    await sut.create({ name: 'twice', nodes: 1, cni: true, networkPolicy: true });
    await expect(
      sut.create({ name: 'twice', nodes: 1, cni: true, networkPolicy: true }),
    ).rejects.toMatchObject({
      code: ProviderErrorCode.CLUSTER_EXISTS,
      message: 'a sim cluster named twice already exists',
    });
    await sut.delete('twice');
    await sut.delete('twice');
    expect(await sut.list()).toEqual([]);
  });
});
