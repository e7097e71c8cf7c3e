import { describe, expect, it } from 'vitest';
import { execOnce, sh } from '../testing/shell-harness';
import { curlTool } from './curl.tool';

describe(curlTool.name, () => {
  it.each([
    {
      what: 'connected',
      args: ['-sS', 'http://web:8080'],
      code: 0,
      stdout: 'hello from web\n',
      stderr: '',
    },
    {
      what: 'nxdomain',
      args: ['-sS', 'http://nope:8080'],
      code: 6,
      stdout: '',
      stderr: 'curl: (6) Could not resolve host: nope\n',
    },
    {
      what: 'cluster DNS not answering',
      args: ['-sS', 'http://dns-down'],
      code: 6,
      stdout: '',
      stderr: 'curl: (6) Could not resolve host: dns-down\n',
    },
    {
      what: 'cluster DNS not answering within --max-time',
      args: ['-sS', '-m', '2', 'http://dns-down'],
      code: 28,
      stdout: '',
      stderr: 'curl: (28) Resolving timed out after 2000 milliseconds\n',
    },
    {
      what: 'refused',
      args: ['-sS', 'http://web'],
      code: 7,
      stdout: '',
      stderr: "curl: (7) Failed to connect to web port 80 after 0 ms: Couldn't connect to server\n",
    },
    {
      what: 'unreachable (no route, after ARP gives up)',
      args: ['-sS', 'http://gone'],
      code: 7,
      stdout: '',
      stderr: "curl: (7) Failed to connect to gone port 80 after 3000 ms: Couldn't connect to server\n",
    },
    {
      what: 'blocked with --connect-timeout',
      args: ['-sS', '--connect-timeout', '2', 'http://db:5432'],
      code: 28,
      stdout: '',
      stderr: 'curl: (28) Failed to connect to db port 5432 after 2000 ms: Timeout was reached\n',
    },
    {
      what: 'blocked with --max-time',
      args: ['-sS', '-m', '5', 'http://db'],
      code: 28,
      stdout: '',
      stderr: 'curl: (28) Connection timed out after 5000 milliseconds\n',
    },
    {
      what: 'blocked without a timeout (the kernel gives up)',
      args: ['-sS', 'http://db'],
      code: 28,
      stdout: '',
      stderr: "curl: (28) Failed to connect to db port 80 after 133000 ms: Couldn't connect to server\n",
    },
    {
      what: 'an HTTP error with -f',
      args: ['-fsS', 'http://web:8080/missing'],
      code: 22,
      stdout: '',
      stderr: 'curl: (22) The requested URL returned error: 404\n',
    },
    {
      what: 'an HTTP error without -f',
      args: ['-sS', 'http://web:8080/missing'],
      code: 0,
      stdout: 'not found\n',
      stderr: '',
    },
    {
      what: 'silent without -S',
      args: ['-s', 'http://nope'],
      code: 6,
      stdout: '',
      stderr: '',
    },
    {
      what: 'an unknown option',
      args: ['--bogus', 'http://web:8080'],
      code: 2,
      stdout: '',
      stderr:
        "curl: option --bogus: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
    },
    {
      what: 'no URL',
      args: ['-s'],
      code: 2,
      stdout: '',
      stderr: "curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
    },
    {
      what: 'an unsupported scheme',
      args: ['-sS', 'ftp://web'],
      code: 1,
      stdout: '',
      stderr: 'curl: (1) Protocol "ftp" not supported\n',
    },
  ])('should print what curl 8 prints when $what', async ({ args, code, stdout, stderr }) => {
    const sut = await execOnce(['curl', ...args]);

    expect(sut).toEqual({ code, stdout, stderr });
  });

  it.each([
    ['http://web:8080/missing', '404'],
    ['http://web:8080/', '200'],
    ['http://nope', '000'],
    ['http://closed', '000'],
  ])('should write %{http_code} for %s', async (url, httpCode) => {
    const sut = await execOnce(['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}\\n', url]);

    expect(sut.stdout).toBe(`${httpCode}\n`);
  });

  it('should show the progress meter on stderr when the body goes to a pipe', async () => {
    const sut = await execOnce(['curl', 'http://web:8080']);

    expect(sut.stderr).toBe(
      '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' +
        '                                 Dload  Upload   Total   Spent    Left  Speed\n' +
        '\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0' +
        '\r100    15  100    15    0     0  15000      0 --:--:-- --:--:-- --:--:-- 15000\n',
    );
  });

  it('should end the meter line before the error when the connection is refused', async () => {
    const sut = await execOnce(['curl', 'http://closed']);

    expect(sut.stderr.split('\n').slice(2)).toEqual([
      '\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0',
      "curl: (7) Failed to connect to closed port 80 after 0 ms: Couldn't connect to server",
      '',
    ]);
  });

  it('should trace the exchange with -v', async () => {
    const sut = await execOnce(['curl', '-sv', 'http://web:8080/']);

    expect(sut.stderr).toBe(
      [
        '* Host web:8080 was resolved.',
        '* IPv6: (none)',
        '* IPv4: 10.96.0.20',
        '*   Trying 10.96.0.20:8080...',
        '* Connected to web (10.96.0.20) port 8080',
        '> GET / HTTP/1.1',
        '> Host: web:8080',
        '> User-Agent: curl/8.5.0',
        '> Accept: */*',
        '> ',
        '< HTTP/1.1 200 OK',
        '< Content-Type: text/plain',
        '< Date: Thu, 01 Jan 2026 00:00:00 GMT',
        '< Content-Length: 15',
        '< ',
        '* Connection #0 to host web left intact',
        '',
      ].join('\n'),
    );
  });

  it('should say which connect failed with -v when refused', async () => {
    const sut = await execOnce(['curl', '-sv', 'http://closed:81']);

    expect(sut.stderr).toMatch(
      /^\* {3}Trying 10\.96\.0\.40:81\.\.\.\n\* connect to 10\.96\.0\.40 port 81 from 10\.244\.1\.5 port \d+ failed: Connection refused\n/m,
    );
    expect(sut.code).toBe(7);
  });

  it('should print the status line and headers with -I', async () => {
    const sut = await execOnce(['curl', '-sI', 'http://web:8080']);

    expect(sut.stdout).toBe(
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nContent-Length: 15\r\n\r\n',
    );
  });

  it('should follow a redirect with -L and not without it', async () => {
    const followed = await execOnce([
      'curl',
      '-sSL',
      '-w',
      '%{num_redirects} %{url_effective}',
      'http://web:8080/old',
    ]);
    const notFollowed = await execOnce(['curl', '-sS', '-w', '%{http_code}', 'http://web:8080/old']);

    expect(followed.stdout).toBe('hello from web\n1 http://web:8080/new');
    expect(notFollowed.stdout).toBe('301');
  });

  it('should send -X, -H and -d to the app', async () => {
    const sut = await execOnce([
      'curl',
      '-sS',
      '-X',
      'PUT',
      '-H',
      'X-Test: 1',
      '-d',
      'a=1',
      '-d',
      'b=2',
      'http://web:8080/echo',
    ]);

    expect(sut.stdout).toBe('PUT a=1&b=2\n');
  });

  it('should save the body with -o so that cat shows it', async () => {
    const sut = await sh('curl -sS -o /tmp/page http://web:8080 && cat /tmp/page');

    expect(sut.stdout).toBe('hello from web\n');
  });

  it.each([['--no-progress-meter'], ['--http1.1', '-s'], ['--compressed', '-s']])(
    'should accept %s and print just the body',
    async (...flags) => {
      expect(await execOnce(['curl', ...flags, 'http://web:8080'])).toEqual({
        code: 0,
        stdout: 'hello from web\n',
        stderr: '',
      });
    },
  );
});
