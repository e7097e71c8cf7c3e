import { describe, expect, it } from 'vitest';
import { httpCommand, networkTimeoutSeconds, parseDns, parseHttp, parseTcp } from './probe-commands';

const run = (exitCode: number, stdout: string, stderr = '') => ({ exitCode, stdout, stderr });

describe(parseHttp.name, () => {
  it.each([
    [
      'a response',
      run(0, 'HTTP/1.1 404 Not Found\r\nX: y\r\n\r\nnope'),
      { kind: 'response', status: 404, body: 'nope' },
    ],
    [
      'a refusal',
      run(7, '', "curl: (7) Failed to connect to web port 80 after 2 ms: Couldn't connect to server\n"),
      { kind: 'failure', outcome: 'refused' },
    ],
    [
      'a refusal by message',
      run(7, '', 'curl: (7) Failed to connect to 10.96.0.1 port 80: Connection refused\n'),
      { kind: 'failure', outcome: 'refused' },
    ],
    [
      'no route',
      run(7, '', 'curl: (7) Failed to connect to 10.1.2.3 port 80: No route to host\n'),
      { kind: 'failure', outcome: 'unreachable' },
    ],
    [
      'a timeout',
      run(28, '', 'curl: (28) Connection timed out after 3001 milliseconds\n'),
      { kind: 'failure', outcome: 'blocked' },
    ],
    [
      'an unknown host',
      run(6, '', 'curl: (6) Could not resolve host: nope\n'),
      { kind: 'failure', outcome: 'nxdomain' },
    ],
    [
      'an exec timeout',
      run(124, '', 'exec timed out after 5000 ms'),
      { kind: 'failure', outcome: 'blocked' },
    ],
  ])('should read %s', (_, result, expected) => {
    expect(parseHttp(result)).toMatchObject(expected);
  });
});

describe(parseTcp.name, () => {
  it.each([
    ['busybox open', run(0, '', 'web (10.96.0.5:80) open\n'), 'connected'],
    [
      'openbsd succeeded',
      run(0, '', 'Connection to web (10.96.0.5) 80 port [tcp/http] succeeded!\n'),
      'connected',
    ],
    ['busybox refused', run(1, '', 'nc: web (10.96.0.5:80): Connection refused\n'), 'refused'],
    [
      'openbsd refused',
      run(1, '', 'nc: connect to web port 80 (tcp) failed: Connection refused\n'),
      'refused',
    ],
    ['busybox timeout', run(1, '', 'nc: web (10.96.0.5:80): Connection timed out\n'), 'blocked'],
    [
      'openbsd timeout',
      run(1, '', 'nc: connect to web port 80 (tcp) timed out: Operation now in progress\n'),
      'blocked',
    ],
    ['bad address', run(1, '', "nc: bad address 'nope'\n"), 'nxdomain'],
  ])('should read %s', (_, result, outcome) => {
    expect(parseTcp(result).outcome).toBe(outcome);
  });
});

describe(parseDns.name, () => {
  it('should list the answer addresses, not the server address', () => {
    const out =
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tweb.shop.svc.cluster.local\nAddress: 10.96.0.20\n\n';
    expect(parseDns(run(0, out))).toEqual({
      outcome: 'resolves',
      addresses: ['10.96.0.20'],
      message: 'resolves to 10.96.0.20',
    });
  });

  it('should read NXDOMAIN', () => {
    const out =
      "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nope.shop.svc.cluster.local: NXDOMAIN\n\n";
    expect(parseDns(run(1, out)).outcome).toBe('nxdomain');
  });

  it('should read an unreachable DNS server as an error', () => {
    const out = ';; connection timed out; no servers could be reached\n\n';
    expect(parseDns(run(1, out))).toMatchObject({
      outcome: 'error',
      message: ';; connection timed out; no servers could be reached',
    });
  });
});

describe(networkTimeoutSeconds.name, () => {
  it.each([
    [500, 1],
    [5000, 1],
    [10000, 3],
    [60000, 3],
  ])('should give a check timeout of %i ms a client timeout of %i s', (ms, s) => {
    expect(networkTimeoutSeconds(ms)).toBe(s);
  });
});

describe(httpCommand.name, () => {
  it('should send each header with -H before the URL when the check names headers', () => {
    const sut = httpCommand('http://ingress-nginx-controller.ingress-nginx/api', 3, 1000, {
      Host: 'shop.example.com',
    });

    expect(sut).toEqual([
      'curl',
      '-sS',
      '-i',
      '--connect-timeout',
      '1',
      '--max-time',
      '3',
      '-H',
      'Host: shop.example.com',
      'http://ingress-nginx-controller.ingress-nginx/api',
    ]);
  });

  it('should send no -H when the check names no headers', () => {
    expect(httpCommand('http://web/', 3)).not.toContain('-H');
  });

  it('should skip certificate verification with -k only when the check is insecure', () => {
    expect(httpCommand('https://web/', 3, 1000, {}, true).slice(0, 4)).toEqual(['curl', '-sS', '-i', '-k']);
    expect(httpCommand('https://web/', 3)).not.toContain('-k');
  });

  it("should report curl's certificate error as the failure when the CA is not trusted", () => {
    const sut = parseHttp({
      exitCode: 60,
      stdout: '',
      stderr:
        'curl: (60) SSL certificate problem: unable to get local issuer certificate\nMore details here: https://curl.se/docs/sslcerts.html\n',
    });

    expect(sut).toMatchObject({
      kind: 'failure',
      message: 'curl: (60) SSL certificate problem: unable to get local issuer certificate',
    });
  });
});
