import { describe, expect, it } from 'vitest';
import { execOnce } from '../testing/shell-harness';
import { getentTool, hostTool } from './host.tool';

describe(hostTool.name, () => {
  it.each([
    { name: 'web', code: 0, stdout: 'web.default.svc.cluster.local has address 10.96.0.20\n' },
    { name: 'nope', code: 1, stdout: 'Host nope not found: 3(NXDOMAIN)\n' },
    { name: 'dns-down', code: 1, stdout: ';; connection timed out; no servers could be reached\n' },
  ])('should answer host $name as bind does', async ({ name, code, stdout }) => {
    expect(await execOnce(['host', name])).toEqual({ code, stdout, stderr: '' });
  });
});

describe(getentTool.name, () => {
  it.each([
    { key: 'web', code: 0, stdout: '10.96.0.20      web.default.svc.cluster.local\n' },
    { key: 'localhost', code: 0, stdout: '127.0.0.1       localhost\n' },
    { key: 'nope', code: 2, stdout: '' },
  ])('should resolve $key through the C library', async ({ key, code, stdout }) => {
    expect(await execOnce(['getent', 'hosts', key])).toEqual({ code, stdout, stderr: '' });
  });
});
