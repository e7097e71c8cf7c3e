import { describe, expect, it } from 'vitest';
import { fakeShellHost } from '../testing/fake-shell-host';
import { execOnce } from '../testing/shell-harness';
import type { DnsClient } from '../shell-host';
import { nslookupTool } from './nslookup.tool';

const HEADER = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';
const BIND_HEADER = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n';
const LEGACY_HEADER =
  'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n';
const TIMEOUT = ';; connection timed out; no servers could be reached\n\n';

function run(client: DnsClient | undefined, args: string[]) {
  return execOnce(['nslookup', ...args], { host: fakeShellHost(client ? { dnsClient: client } : {}) });
}

describe(nslookupTool.name, () => {
  it.each([
    {
      what: 'a Service name',
      name: 'web',
      code: 0,
      stdout: `${HEADER}Name:\tweb.default.svc.cluster.local\nAddress: 10.96.0.20\n\n`,
    },
    {
      what: 'an unknown name (busybox asks A and AAAA and reports both)',
      name: 'nope',
      code: 1,
      stdout: `${HEADER}** server can't find nope: NXDOMAIN\n\n** server can't find nope: NXDOMAIN\n\n`,
    },
    {
      what: 'a dotted name it sends as written (no search list)',
      name: 'web.default',
      code: 1,
      stdout: `${HEADER}** server can't find web.default: NXDOMAIN\n\n** server can't find web.default: NXDOMAIN\n\n`,
    },
    {
      what: 'an IP (reverse lookup)',
      name: '10.96.0.20',
      code: 0,
      stdout: `${HEADER}20.0.96.10.in-addr.arpa\tname = web.default.svc.cluster.local\n\n`,
    },
    { what: 'cluster DNS down', name: 'dns-down', code: 1, stdout: TIMEOUT },
  ])('should answer $what in busybox 1.36 format', async ({ name, code, stdout }) => {
    const sut = await run(undefined, [name]);

    expect(sut).toEqual({ code, stdout, stderr: '' });
  });

  it('should time out when the server named has no DNS server behind it', async () => {
    const sut = await run(undefined, ['web', '10.96.0.20']);

    expect(sut).toEqual({ code: 1, stdout: TIMEOUT, stderr: '' });
  });

  it('should ask the server named when it is a DNS server', async () => {
    const sut = await run(undefined, ['web', '10.96.0.10']);

    expect(sut.code).toBe(0);
    expect(sut.stdout).toContain('Address: 10.96.0.20\n');
  });

  it('should use the search list for a dotted name in the 1.28 layout when the image has busybox 1.28', async () => {
    const sut = await run('busybox-1.28', ['web.default']);

    expect(sut).toEqual({
      code: 0,
      stdout: `${LEGACY_HEADER}Name:      web.default\nAddress 1: 10.96.0.20 web.default.svc.cluster.local\n`,
      stderr: '',
    });
  });

  it("should say can't resolve on stderr when busybox 1.28 finds nothing", async () => {
    const sut = await run('busybox-1.28', ['nope']);

    expect(sut).toEqual({ code: 1, stdout: LEGACY_HEADER, stderr: "nslookup: can't resolve 'nope'\n" });
  });

  it('should print the bind layout with the search list when the image ships bind', async () => {
    const ok = await run('bind', ['web.default']);
    const missing = await run('bind', ['nope']);

    expect(ok).toEqual({
      code: 0,
      stdout: `${BIND_HEADER}Name:\tweb.default.svc.cluster.local\nAddress: 10.96.0.20\n\n`,
      stderr: '',
    });
    expect(missing).toEqual({
      code: 1,
      stdout: `${BIND_HEADER}** server can't find nope: NXDOMAIN\n\n`,
      stderr: '',
    });
  });

  it('should time out in bind wording when the server named does not answer', async () => {
    const sut = await run('bind', ['web', '10.96.0.30']);

    expect(sut).toEqual({ code: 1, stdout: TIMEOUT, stderr: '' });
  });
  it.each([
    { client: undefined, times: 2, header: HEADER },
    { client: 'bind' as const, times: 1, header: BIND_HEADER },
  ])(
    'should say No answer and exit 0 when the name has no records (NODATA) with $client',
    async ({ client, times, header }) => {
      const fqdn = 'alias.default.svc.cluster.local';
      const nodata = { query: 'alias', rcode: 'NOERROR' as const, fqdn, records: [] };
      const host = fakeShellHost({ ...(client ? { dnsClient: client } : {}), resolve: () => nodata });

      const sut = await execOnce(['nslookup', 'alias'], { host });

      expect(sut).toEqual({
        code: 0,
        stdout: header + `*** Can't find ${fqdn}: No answer\n\n`.repeat(times),
        stderr: '',
      });
    },
  );
});
