import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterLostEvent } from '../provider';
import { SimHostProvider } from './sim-host.provider';

/** GET /version with the kubeconfig's token and CA, as any client of the cluster would. */
function version(kubeconfig: string): Promise<number> {
  const server = /server: (\S+)/.exec(kubeconfig)![1]!;
  const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(kubeconfig)![1]!, 'base64');
  const token = /token: (\S+)/.exec(kubeconfig)![1]!;
  return new Promise((resolve, reject) => {
    const req = request(`${server}/version`, { ca, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

const spec = (name: string) => ({
  name,
  nodes: 1,
  cni: true,
  networkPolicy: true,
  labels: { attempt: name },
});

describe(SimHostProvider.name, { timeout: 120_000 }, () => {
  let sut: SimHostProvider;
  const lost: ClusterLostEvent[] = [];

  beforeAll(async () => {
    sut = new SimHostProvider({ hosts: 2, clustersPerHost: 2, heapMb: 256 });
    await sut.start();
    sut.onClusterLost((e) => lost.push(e));
  }, 120_000);
  afterAll(() => sut?.stop());

  it('should place clusters on the least-loaded host and serve them through their kubeconfigs', async () => {
    const [a, b] = [await sut.create(spec('a')), await sut.create(spec('b'))];
    expect(await version(a.kubeconfig)).toBe(200);
    expect(await version(b.kubeconfig)).toBe(200);
    const hosts = (sut as unknown as { hosts: { clusters: Set<string> }[] }).hosts;
    expect(hosts.map((h) => h.clusters.size)).toEqual([1, 1]);
    expect((await sut.list()).map((c) => [c.name, c.labels.attempt]).sort()).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
  });

  it('should report every cluster of a host that dies as lost, restart the host and create again', async () => {
    const hosts = (sut as unknown as { hosts: { clusters: Set<string>; pid?: number }[] }).hosts;
    const victim = hosts.find((h) => h.clusters.has('a'))!;
    process.kill(victim.pid!, 'SIGKILL');
    await expect.poll(() => lost.map((e) => e.name), { timeout: 30_000 }).toEqual(['a']);
    expect(lost[0]!.reason).toContain('was killed (SIGKILL)');
    await expect.poll(() => victim.pid, { timeout: 30_000 }).toBeDefined();
    const again = await sut.create(spec('a'));
    expect(await version(again.kubeconfig)).toBe(200);
    await sut.delete('b');
    expect((await sut.list()).map((c) => c.name)).toEqual(['a']);
  });

  it('should refuse a cluster when every host is full', async () => {
    await sut.create(spec('c'));
    await sut.create(spec('d'));
    await sut.create(spec('e')).catch(() => undefined);
    await expect(sut.create(spec('f'))).rejects.toThrow('every sim host is full');
  });

  it('should run each host in its own process group, so a signal to the server group does not reach it', () => {
    const hosts = (sut as unknown as { hosts: { pid?: number }[] }).hosts;
    for (const { pid } of hosts) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      expect(pgrp).toBe(pid);
    }
  });
});

describe(`${SimHostProvider.name} start`, { timeout: 120_000 }, () => {
  it('should fail the start when a host dies before it is ready, then start afresh on the next create', async () => {
    const sut = new SimHostProvider({ hosts: 1, clustersPerHost: 1, heapMb: 256 });
    try {
      const starting = sut.start();
      const host = (sut as unknown as { hosts: { pid?: number }[] }).hosts[0]!;
      process.kill(host.pid!, 'SIGKILL');
      await expect(starting).rejects.toThrow('sim host 0 was killed (SIGKILL) before it was ready');
      expect(await sut.list().catch((e: Error) => e.message)).toContain('before it was ready');
      const made = await sut.create(spec('again'));
      expect(await version(made.kubeconfig)).toBe(200);
      expect((await sut.list()).map((c) => c.name)).toEqual(['again']);
    } finally {
      sut.stop();
    }
  });
});
