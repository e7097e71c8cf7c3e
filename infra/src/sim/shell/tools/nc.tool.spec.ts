import { fakeShellHost } from '../testing/fake-shell-host';
import { describe, expect, it } from 'vitest';
import { execOnce, sh } from '../testing/shell-harness';
import { ncTool } from './nc.tool';

describe(ncTool.name, () => {
  it.each([
    { what: 'connected', args: ['-zv', 'web', '8080'], code: 0, stderr: 'web (10.96.0.20:8080) open\n' },
    { what: 'connected, quiet', args: ['-z', 'web', '8080'], code: 0, stderr: '' },
    // nc 1.10 (and so busybox) hides refusals at one -v: a port scan would be all noise otherwise.
    { what: 'refused at -v', args: ['-zv', 'closed', '80'], code: 1, stderr: '' },
    {
      what: 'refused at -vv',
      args: ['-zvv', 'closed', '80'],
      code: 1,
      stderr: 'nc: closed (10.96.0.40:80): Connection refused\n',
    },
    {
      what: 'blocked with -w',
      args: ['-zv', '-w', '2', 'db', '5432'],
      code: 1,
      stderr: 'nc: db (10.96.0.30:5432): Connection timed out\n',
    },
    {
      what: 'unreachable',
      args: ['-zv', 'gone', '80'],
      code: 1,
      stderr: 'nc: gone (10.96.0.50:80): No route to host\n',
    },
    { what: 'nxdomain', args: ['-zv', 'nope', '80'], code: 1, stderr: "nc: bad address 'nope'\n" },
    {
      what: 'the loopback listener',
      args: ['-zv', '127.0.0.1', '9090'],
      code: 0,
      stderr: '127.0.0.1 (127.0.0.1:9090) open\n',
    },
  ])('should report $what as busybox nc does', async ({ args, code, stderr }) => {
    const sut = await execOnce(['nc', ...args]);

    expect(sut).toEqual({ code, stdout: '', stderr });
  });

  it('should carry an HTTP request from stdin and print the raw answer', async () => {
    const sut = await sh('printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc web 8080');

    expect(sut.stdout).toBe('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello from web\n');
  });

  it.each([
    {
      args: ['-zv', 'web', '8080'],
      code: 0,
      stderr: 'Connection to web (10.96.0.20) 8080 port [tcp/http-alt] succeeded!\n',
    },
    {
      args: ['-zv', '10.96.0.20', '8080'],
      code: 0,
      stderr: 'Connection to 10.96.0.20 8080 port [tcp/http-alt] succeeded!\n',
    },
    {
      args: ['-zv', 'web', '81'],
      code: 1,
      stderr: 'nc: connect to web (10.96.0.20) port 81 (tcp) failed: Connection refused\n',
    },
    { args: ['-z', 'web', '81'], code: 1, stderr: '' },
    {
      args: ['-zv', '-w', '1', 'db', '5432'],
      code: 1,
      stderr: 'nc: connect to db (10.96.0.30) port 5432 (tcp) timed out: Operation now in progress\n',
    },
    {
      args: ['-zv', 'nope', '80'],
      code: 1,
      stderr: 'nc: getaddrinfo for host "nope" port 80: Name does not resolve\n',
    },
  ])('should word $args as netcat-openbsd when the image ships it', async ({ args, code, stderr }) => {
    const sut = await execOnce(['nc', ...args], { host: fakeShellHost({ netcat: 'openbsd' }) });

    expect(sut).toEqual({ code, stdout: '', stderr });
  });
});
