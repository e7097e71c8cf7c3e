import { describe, expect, it } from 'vitest';
import { execOnce } from '../testing/shell-harness';
import { digTool } from './dig.tool';

describe(digTool.name, () => {
  it.each([
    { args: ['+short', 'web.default.svc.cluster.local'], stdout: '10.96.0.20\n' },
    { args: ['+short', '+search', 'web'], stdout: '10.96.0.20\n' },
    // dig does not use the search list by default: `web.` is not a name the cluster knows.
    { args: ['+short', 'web'], stdout: '' },
    { args: ['+short', '-x', '10.96.0.20'], stdout: 'web.default.svc.cluster.local.\n' },
    // A record type before the name is the type, as in `dig SRV _http._tcp.web...`.
    { args: ['+short', 'PTR', '20.0.96.10.in-addr.arpa'], stdout: 'web.default.svc.cluster.local.\n' },
    { args: ['+short', '20.0.96.10.in-addr.arpa', 'PTR'], stdout: 'web.default.svc.cluster.local.\n' },
  ])('should print $stdout for dig $args', async ({ args, stdout }) => {
    const sut = await execOnce(['dig', ...args]);

    expect(sut).toEqual({ code: 0, stdout, stderr: '' });
  });

  it('should print the full layout for a Service name', async () => {
    const sut = await execOnce(['dig', 'web.default.svc.cluster.local']);

    expect(sut.stdout).toContain(';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: ');
    expect(sut.stdout).toContain(';; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n');
    expect(sut.stdout).toContain(';; QUESTION SECTION:\n;web.default.svc.cluster.local.\t\tIN\tA\n');
    expect(sut.stdout).toContain(
      ';; ANSWER SECTION:\nweb.default.svc.cluster.local.\t30\tIN\tA\t10.96.0.20\n',
    );
    expect(sut.stdout).toContain(';; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n');
    expect(
      sut.stdout.startsWith(
        '\n; <<>> DiG 9.18.25 <<>> web.default.svc.cluster.local\n;; global options: +cmd\n',
      ),
    ).toBe(true);
  });

  it('should show NXDOMAIN with the cluster SOA for an unknown cluster name', async () => {
    const sut = await execOnce(['dig', 'nope.default.svc.cluster.local']);

    expect(sut.stdout).toContain('status: NXDOMAIN');
    expect(sut.stdout).toContain(
      ';; AUTHORITY SECTION:\ncluster.local.\t\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local.',
    );
    expect(sut.code).toBe(0);
  });

  it('should report no servers and exit 9 when the cluster DNS does not answer', async () => {
    const sut = await execOnce(['dig', 'dns-down']);

    expect(sut.code).toBe(9);
    expect(sut.stdout).toContain(';; communications error to 10.96.0.10#53: timed out\n');
    expect(sut.stdout).toContain(';; no servers could be reached\n');
  });

  it('should report three timed-out attempts and exit 9 when @SERVER has no DNS server', async () => {
    const sut = await execOnce(['dig', '@10.96.0.20', 'web.default.svc.cluster.local']);

    expect(sut.code).toBe(9);
    expect(sut.stdout).toContain(';; communications error to 10.96.0.20#53: timed out\n'.repeat(3));
    expect(sut.stdout).toContain(';; no servers could be reached\n');
  });

  it('should answer through @SERVER when it is the cluster DNS', async () => {
    const sut = await execOnce(['dig', '@10.96.0.10', '+short', 'web.default.svc.cluster.local']);

    expect(sut).toEqual({ code: 0, stdout: '10.96.0.20\n', stderr: '' });
  });
});
