import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, rows, startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

/**
 * Editing the coredns ConfigMap as the Debugging DNS Resolution page does. The reload delay is
 * shortened to 2 s here (45 s by default) so the test does not wait a minute.
 */
describe('the coredns ConfigMap drives CoreDNS, seen through kubectl', { timeout: 120_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });
  const corefile = async () =>
    (await k('get', 'configmap', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.data.Corefile}')).stdout;
  const setCorefile = async (text: string) => {
    const patch = JSON.stringify({ data: { Corefile: text } });
    expect((await k('patch', 'configmap', 'coredns', '-n', 'kube-system', '-p', patch)).stdout).toBe(
      'configmap/coredns patched\n',
    );
  };
  const logs = async () =>
    (await k('logs', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '--tail=-1')).stdout;

  beforeAll(async () => {
    sut = await startRuntimeWorld({
      propagation: { corednsReloadMs: 2000 },
      pods: [['client', 'busybox:1.36', 'sleep', '3600']],
    });
  }, 60_000);
  afterAll(() => sut?.stop());

  it('should log queries after the log plugin is added', async () => {
    const original = await corefile();
    await setCorefile(original.replace('    errors\n', '    log\n    errors\n'));
    await eventually(async () => (await logs()).includes('[INFO] Reloading complete'), 'the reload', 20_000);
    const lookup = await k('exec', 'client', '--', 'nslookup', 'kubernetes.default.svc.cluster.local');
    expect(lookup.stdout + lookup.stderr).toContain('Address: 10.96.0.1');
    await eventually(
      async () =>
        /"A IN kubernetes\.default\.svc\.cluster\.local\. udp \d+ false 512" NOERROR/.test(await logs()),
      'the query in the CoreDNS log',
      10_000,
    );
  });

  it('should refuse a broken Corefile on reload and crash-loop CoreDNS once its pods restart', async () => {
    const original = await corefile();
    await setCorefile(original.replace('    log\n', '    logg\n'));
    await eventually(
      async () =>
        (await logs()).includes(
          "[ERROR] Restart failed: /etc/coredns/Corefile:2 - Error during parsing: Unknown directive 'logg'",
        ),
      'the refused reload',
      20_000,
    );
    expect((await k('rollout', 'restart', 'deployment/coredns', '-n', 'kube-system')).code).toBe(0);
    await eventually(
      async () =>
        rows((await k('get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns')).stdout)
          .slice(1)
          .some((r) => r[2] === 'CrashLoopBackOff' || r[2] === 'Error'),
      'a crash-looping CoreDNS pod',
      60_000,
    );
  });
});
