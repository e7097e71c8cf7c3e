import { describe, expect, it } from 'vitest';
import { fakeShellHost } from '../testing/fake-shell-host';
import { execOnce } from '../testing/shell-harness';
import { pingTool } from './ping.tool';

describe(pingTool.name, () => {
  it('should print replies and statistics when the pod answers', async () => {
    const sut = await execOnce(['ping', '-c', '3', '10.244.1.5']);

    expect(sut).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'PING 10.244.1.5 (10.244.1.5): 56 data bytes\n' +
        '64 bytes from 10.244.1.5: seq=0 ttl=63 time=0.045 ms\n' +
        '64 bytes from 10.244.1.5: seq=1 ttl=63 time=0.082 ms\n' +
        '64 bytes from 10.244.1.5: seq=2 ttl=63 time=0.058 ms\n' +
        '\n--- 10.244.1.5 ping statistics ---\n' +
        '3 packets transmitted, 3 packets received, 0% packet loss\n' +
        'round-trip min/avg/max = 0.045/0.062/0.082 ms\n',
    });
  });

  it.each([
    { what: 'a Service VIP (kube-proxy does not answer ICMP)', target: 'web' },
    { what: 'an address nobody holds', target: 'gone' },
  ])('should lose every packet for $what', async ({ target }) => {
    const sut = await execOnce(['ping', '-c', '2', target]);

    expect(sut.code).toBe(1);
    expect(sut.stdout).toMatch(/\n2 packets transmitted, 0 packets received, 100% packet loss\n$/);
  });

  it('should answer a pod behind a NetworkPolicy drop: policies do not filter ICMP in the sim', async () => {
    const sut = await execOnce(['ping', '-c', '1', 'db'], {
      host: fakeShellHost({
        resolve: (q) => ({
          query: q,
          rcode: 'NOERROR',
          fqdn: 'db-0.db.default.svc.cluster.local',
          records: [{ type: 'A', name: q, value: '10.96.0.30' }],
        }),
      }),
    });

    expect(sut.stdout).toContain('64 bytes from 10.96.0.30: seq=0');
  });

  it('should use the host icmp answer when it has one', async () => {
    const sut = await execOnce(['ping', '-c', '1', '10.244.1.5'], {
      host: fakeShellHost({ icmp: () => 'silent' }),
    });

    expect(sut.code).toBe(1);
  });

  it('should say bad address for an unknown name', async () => {
    const sut = await execOnce(['ping', '-c', '1', 'nope']);

    expect(sut).toEqual({ code: 1, stdout: '', stderr: "ping: bad address 'nope'\n" });
  });
});
