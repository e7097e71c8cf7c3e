import { describe, expect, it } from 'vitest';
import { execOnce } from '../testing/shell-harness';
import { nslookupTool } from './nslookup.tool';

const HEADER = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';

describe(nslookupTool.name, () => {
  it.each([
    {
      what: 'a Service name',
      name: 'web',
      code: 0,
      stdout: `${HEADER}Name:\tweb.default.svc.cluster.local\nAddress: 10.96.0.20\n\n`,
    },
    {
      what: 'an unknown name',
      name: 'nope',
      code: 1,
      stdout: `${HEADER}** server can't find nope: NXDOMAIN\n\n`,
    },
    {
      what: 'an IP (reverse lookup)',
      name: '10.96.0.20',
      code: 0,
      stdout: `${HEADER}20.0.96.10.in-addr.arpa\tname = web.default.svc.cluster.local\n\n`,
    },
    {
      what: 'cluster DNS down',
      name: 'dns-down',
      code: 1,
      stdout: ';; connection timed out; no servers could be reached\n\n',
    },
  ])('should answer $what in busybox format', async ({ name, code, stdout }) => {
    const sut = await execOnce(['nslookup', name]);

    expect(sut).toEqual({ code, stdout, stderr: '' });
  });
});
