import { describe, expect, it } from 'vitest';
import { put } from '../runtime/context';
import { aPod, aRuntime, podStatusWord, podsOf } from '../runtime/testing/runtime-harness';
import { CorednsReloadController } from './coredns-reload.controller';

async function withClient() {
  const h = await aRuntime();
  h.store.create(
    'pods',
    aPod('client', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
  );
  await h.sut.advance(3000);
  const corednsLogs = async () => {
    const out: string[] = [];
    for (const p of podsOf(h.store, 'coredns-', 'kube-system'))
      for await (const l of h.sut.logs(
        { namespace: 'kube-system', pod: p.metadata!.name!, container: 'coredns' },
        {},
      ))
        out.push(l);
    return out.join('');
  };
  const editCorefile = (edit: (text: string) => string) => {
    const cm = h.store.get('configmaps', 'kube-system', 'coredns')!;
    const data = cm.data as Record<string, string>;
    put(h.store, 'configmaps', { ...cm, data: { Corefile: edit(data['Corefile']!) } });
  };
  return { ...h, corednsLogs, editCorefile };
}

describe(CorednsReloadController.name, () => {
  it('should log queries once the reload picked up the log plugin, 45 s after the edit', async () => {
    const { sut, corednsLogs, editCorefile } = await withClient();
    sut.dataplane.resolve({ namespace: 'default', name: 'client' }, 'kubernetes');
    expect(await corednsLogs()).not.toContain('A IN kubernetes.default.svc.cluster.local.');
    editCorefile((t) => t.replace('    errors\n', '    errors\n    log\n'));
    await sut.advance(30_000);
    sut.dataplane.resolve({ namespace: 'default', name: 'client' }, 'kubernetes');
    expect(await corednsLogs()).not.toContain('A IN kubernetes.default.svc.cluster.local.');
    await sut.advance(15_000);
    expect(await corednsLogs()).toContain('[INFO] Reloading complete');
    sut.dataplane.resolve({ namespace: 'default', name: 'client' }, 'kubernetes');
    expect(await corednsLogs()).toMatch(
      /\[INFO\] 10\.244\.\d+\.\d+:\d+ - \d+ "A IN kubernetes\.default\.svc\.cluster\.local\. udp \d+ false 512" NOERROR qr,aa,rd \d+ 0\.\d{9}s/,
    );
  });

  it('should keep serving with the old Corefile when the new one is broken, and crash-loop new pods', async () => {
    const { sut, store, corednsLogs, editCorefile } = await withClient();
    editCorefile((t) => t.replace('    errors\n', '    erors\n'));
    await sut.advance(46_000);
    expect(await corednsLogs()).toContain(
      "[ERROR] Restart failed: /etc/coredns/Corefile:2 - Error during parsing: Unknown directive 'erors'",
    );
    expect(sut.dataplane.resolve({ namespace: 'default', name: 'client' }, 'kubernetes').rcode).toBe(
      'NOERROR',
    );
    for (const p of podsOf(store, 'coredns-', 'kube-system'))
      store.delete('pods', 'kube-system', p.metadata!.name!);
    await sut.advance(30_000);
    const words = podsOf(store, 'coredns-', 'kube-system').map(podStatusWord);
    expect(words.length).toBe(2);
    for (const w of words) expect(['Error', 'CrashLoopBackOff']).toContain(w);
    expect(sut.dataplane.resolve({ namespace: 'default', name: 'client' }, 'kubernetes').rcode).not.toBe(
      'NOERROR',
    );
  });
});
