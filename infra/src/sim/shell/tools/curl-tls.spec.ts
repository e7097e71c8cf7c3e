import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HttpOutcome, HttpRequest } from '../shell-host';
import { VirtualClock } from '../shell-clock';
import { fakeShellHost } from '../testing/fake-shell-host';
import { execOnce } from '../testing/shell-harness';
import { CurlTls } from './curl-tls';

const FIXTURES = join(__dirname, '../../../../test/fixtures/tls');
const pem = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** A host whose `web` (10.96.0.20) serves TLS on 443 with `served`, and plain HTTP on 80. */
function tlsHost(served: string, files: Record<string, string> = {}) {
  const base = fakeShellHost();
  const http = async (request: HttpRequest): Promise<HttpOutcome> => {
    const url = new URL(request.url);
    const connection = { allowed: true, verdict: 'connected' as const, path: [], reason: 'connected' };
    if (url.protocol === 'https:' && url.port === '80')
      return { kind: 'failure', connection, tls: 'plain-server' };
    if (request.tls && !request.tls.accept({ chainPem: served }))
      return { kind: 'failure', connection, tls: 'rejected' };
    return {
      kind: 'response',
      status: 200,
      statusText: 'OK',
      headers: {},
      body: 'secure\n',
      remote: { ip: '10.96.0.20', port: 443 },
    };
  };
  const connect: typeof base.connect = (host, port, protocol) =>
    base.connect(
      host === '10.96.0.20' ? 'web' : host,
      port === 443 ? 8080 : port === 80 ? 8080 : port,
      protocol,
    );
  return fakeShellHost({ http, connect, files: { ...base.files, ...files } });
}

const clock = () => new VirtualClock({ autoAdvance: true, start: new Date('2027-06-01T00:00:00Z') });
const curl = (args: string[], files: Record<string, string> = {}, served = pem('web.crt')) =>
  execOnce(['curl', ...args], { host: tlsHost(served, files), clock: clock() });

describe(CurlTls.name, () => {
  it('should fail with (60) and the help text when the CA is unknown', async () => {
    const sut = await curl(['-sS', 'https://web/']);

    expect(sut.code).toBe(60);
    expect(sut.stderr).toBe(
      'curl: (60) SSL certificate problem: unable to get local issuer certificate\n' +
        'More details here: https://curl.se/docs/sslcerts.html\n\n' +
        'curl failed to verify the legitimacy of the server and therefore could not\n' +
        'establish a secure connection to it. To learn more about this situation and\n' +
        'how to fix it, please visit the web page mentioned above.\n',
    );
  });

  it('should print nothing on failure with -s alone', async () => {
    expect(await curl(['-s', 'https://web/'])).toEqual({ code: 60, stdout: '', stderr: '' });
  });

  it('should succeed with --cacert naming the issuing CA, and with -k', async () => {
    expect(await curl(['-sS', '--cacert', '/ca.crt', 'https://web/'], { '/ca.crt': pem('ca.crt') })).toEqual({
      code: 0,
      stdout: 'secure\n',
      stderr: '',
    });
    expect((await curl(['-sk', 'https://web/'])).stdout).toBe('secure\n');
  });

  it('should fail with (77) when the --cacert file does not exist', async () => {
    const sut = await curl(['-sS', '--cacert', '/nope.crt', 'https://web/']);

    expect(sut).toMatchObject({ code: 77, stderr: 'curl: (77) error setting certificate file: /nope.crt\n' });
  });

  it('should check the name it was asked for even when --resolve pins the address', async () => {
    const sut = await curl(
      ['-sS', '--cacert', '/ca.crt', '--resolve', 'api:443:10.96.0.20', 'https://api/'],
      {
        '/ca.crt': pem('ca.crt'),
      },
    );

    expect(sut.code).toBe(60);
    expect(sut.stderr).toContain(
      "curl: (60) SSL: no alternative certificate subject name matches target host name 'api'\n",
    );
  });

  it('should say wrong version number when the port speaks plain HTTP', async () => {
    const sut = await curl(['-sS', 'https://web:80/']);

    expect(sut).toMatchObject({
      code: 35,
      stderr: 'curl: (35) OpenSSL/3.1.4: error:0A00010B:SSL routines::wrong version number\n',
    });
  });

  it('should show the verify result and go on with -k -v when the certificate is self-signed', async () => {
    const sut = await curl(['-skv', 'https://web/'], {}, pem('self.crt'));

    expect(sut.code).toBe(0);
    expect(sut.stderr).toContain(
      '*  issuer: CN=web\n*  SSL certificate verify result: self-signed certificate (18), continuing anyway.\n',
    );
    expect(sut.stderr).not.toContain('subjectAltName');
  });
});
