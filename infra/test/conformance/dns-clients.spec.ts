import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

/** Each image's own DNS client, as the Debugging DNS Resolution walkthrough meets them. */
describe('DNS clients seen through kubectl exec', { timeout: 120_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });
  const exec = (pod: string, ...command: string[]) => k('exec', pod, '--', ...command);

  beforeAll(async () => {
    sut = await startRuntimeWorld({
      pods: [
        ['bb128', 'busybox:1.28', 'sleep', '3600'],
        ['bb136', 'busybox:1.36', 'sleep', '3600'],
        ['shoot', 'nicolaka/netshoot', 'sleep', '3600'],
      ],
    });
  }, 90_000);
  afterAll(() => sut?.stop());

  it('should send a dotted name as written and get NXDOMAIN when busybox is 1.36', async () => {
    const r = await exec('bb136', 'nslookup', 'kubernetes.default');

    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n' +
        "** server can't find kubernetes.default: NXDOMAIN\n\n".repeat(2),
    );
    expect(r.stderr).toContain('command terminated with exit code 1');
    const bare = await exec('bb136', 'nslookup', 'kubernetes');
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n');
  });

  it('should use the search path and the old layout when busybox is 1.28', async () => {
    const r = await exec('bb128', 'nslookup', 'kubernetes.default');

    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n' +
        'Name:      kubernetes.default\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n',
    );
  });

  it("should print bind's layout when the image ships bind (netshoot)", async () => {
    const r = await exec('shoot', 'nslookup', 'kubernetes.default');

    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n',
    );
    const dig = await exec('shoot', 'dig', '@10.96.0.10', '+short', 'kubernetes.default.svc.cluster.local');
    expect(dig.stdout).toBe('10.96.0.1\n');
  });

  it('should time out when asked to query an address with no DNS server', async () => {
    const ip = (await k('get', 'pod', 'bb128', '-o', 'jsonpath={.status.podIP}')).stdout;

    const r = await exec('bb136', 'nslookup', 'kubernetes', ip);

    expect(r.code).toBe(1);
    expect(r.stdout).toBe(';; connection timed out; no servers could be reached\n\n');
  });
});
