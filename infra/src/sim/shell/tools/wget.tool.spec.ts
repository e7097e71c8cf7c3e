import { fakeShellHost } from '../testing/fake-shell-host';
import { describe, expect, it } from 'vitest';
import { execOnce, sh } from '../testing/shell-harness';
import { wgetTool } from './wget.tool';

describe(wgetTool.name, () => {
  it.each([
    {
      what: 'connected, quiet to stdout',
      args: ['-qO-', 'http://web:8080'],
      code: 0,
      stdout: 'hello from web\n',
      stderr: '',
    },
    {
      what: 'nxdomain',
      args: ['-qO-', 'http://nope'],
      code: 1,
      stdout: '',
      stderr: "wget: bad address 'nope'\n",
    },
    {
      what: 'cluster DNS not answering',
      args: ['-qO-', 'http://dns-down'],
      code: 1,
      stdout: '',
      stderr: "wget: bad address 'dns-down'\n",
    },
    {
      what: 'refused',
      args: ['-O', '-', 'http://closed'],
      code: 1,
      stdout: '',
      stderr:
        "Connecting to closed (10.96.0.40:80)\nwget: can't connect to remote host (10.96.0.40): Connection refused\n",
    },
    {
      what: 'unreachable',
      args: ['-O', '-', 'http://gone'],
      code: 1,
      stdout: '',
      stderr:
        "Connecting to gone (10.96.0.50:80)\nwget: can't connect to remote host (10.96.0.50): No route to host\n",
    },
    {
      what: 'blocked with -T',
      args: ['-T', '3', '-O', '-', 'http://db'],
      code: 1,
      stdout: '',
      stderr: 'Connecting to db (10.96.0.30:80)\nwget: download timed out\n',
    },
    {
      what: 'blocked without -T (the kernel gives up)',
      args: ['-O', '-', 'http://db'],
      code: 1,
      stdout: '',
      stderr:
        "Connecting to db (10.96.0.30:80)\nwget: can't connect to remote host (10.96.0.30): Connection timed out\n",
    },
    {
      what: 'an HTTP error',
      args: ['-O', '-', 'http://web:8080/missing'],
      code: 1,
      stdout: '',
      stderr:
        'Connecting to web:8080 (10.96.0.20:8080)\nwget: server returned error: HTTP/1.1 404 Not Found\n',
    },
    {
      what: 'writing to stdout with progress',
      args: ['-O', '-', 'http://web:8080'],
      code: 0,
      stdout: 'hello from web\n',
      stderr:
        'Connecting to web:8080 (10.96.0.20:8080)\nwriting to stdout\n' +
        '-                    100% |********************************|    15  0:00:00 ETA\nwritten to stdout\n',
    },
    {
      what: '--spider',
      args: ['--spider', 'http://web:8080'],
      code: 0,
      stdout: '',
      stderr: 'Connecting to web:8080 (10.96.0.20:8080)\nremote file exists\n',
    },
  ])('should print what busybox wget prints when $what', async ({ args, code, stdout, stderr }) => {
    const sut = await execOnce(['wget', ...args]);

    expect(sut).toEqual({ code, stdout, stderr });
  });

  it('should save index.html and refuse to overwrite it', async () => {
    const sut = await sh('cd /tmp && wget -q http://web:8080 && cat index.html && wget -q http://web:8080');

    expect(sut.stdout).toBe('hello from web\n');
    expect(sut.stderr).toBe("wget: can't open 'index.html': File exists\n");
    expect(sut.code).toBe(1);
  });

  it.each([
    {
      args: ['-qO-', 'https://web:8080/'],
      stderr: 'wget: note: TLS certificate validation not implemented\n',
    },
    { args: ['--no-check-certificate', '-qO-', 'https://web:8080/'], stderr: '' },
  ])('should fetch over TLS without checking the certificate with $args', async ({ args, stderr }) => {
    const sut = await execOnce(['wget', ...args]);

    expect(sut).toEqual({ code: 0, stdout: 'hello from web\n', stderr });
  });

  it('should fail on a bad TLS record when the port speaks plain HTTP', async () => {
    const base = fakeShellHost();
    const host = fakeShellHost({
      http: async (request) => ({
        kind: 'failure',
        connection: { allowed: true, verdict: 'connected', path: [], reason: 'connected' },
        ...(request.url.startsWith('https:') ? { tls: 'plain-server' as const } : {}),
      }),
      connect: base.connect,
    });

    const sut = await execOnce(['wget', '-qO-', 'https://web:8080/'], { host });

    expect(sut.code).toBe(1);
    expect(sut.stderr).toBe(
      'wget: note: TLS certificate validation not implemented\nwget: got bad TLS record (len:5) while expecting handshake record\n',
    );
  });
});
