import { describe, expect, it } from 'vitest';
import { startApp } from './app-registry';

const ctx = {
  env: {},
  hostname: 'p',
  podIP: '10.244.1.5',
  stdin: false,
  tty: false,
  now: () => Date.parse('2026-01-01T00:00:00Z'),
};
const listen = (
  container: { image: string; command?: string[]; args?: string[] },
  extra: Partial<typeof ctx> & { files?: Record<string, string> } = {},
) => startApp(container, { ...ctx, ...extra }).instance;

describe(startApp.name, () => {
  it.each([
    [{ image: 'hashicorp/http-echo', args: ['-text=hi'] }, ['0.0.0.0:5678/TCP']],
    [{ image: 'hashicorp/http-echo:1.0', args: ['-listen=:8080', '-text=hi'] }, ['0.0.0.0:8080/TCP']],
    [{ image: 'hashicorp/http-echo', args: ['-listen=127.0.0.1:5678', '-text=hi'] }, ['127.0.0.1:5678/TCP']],
    [{ image: 'nginx:1.27' }, ['0.0.0.0:80/TCP', ':::80/TCP']],
    [{ image: 'busybox', command: ['httpd', '-f', '-p', '8080'] }, []],
    [
      {
        image: 'registry.k8s.io/e2e-test-images/agnhost:2.47',
        args: ['netexec', '--http-port=8080', '--udp-port=-1'],
      },
      ['0.0.0.0:8080/TCP'],
    ],
    [
      { image: 'registry.k8s.io/e2e-test-images/agnhost:2.47', args: ['serve-hostname'] },
      ['0.0.0.0:9376/TCP'],
    ],
    [
      { image: 'python:3', command: ['python', '-m', 'http.server', '--bind', '127.0.0.1', '8080'] },
      ['127.0.0.1:8080/TCP'],
    ],
    [
      { image: 'python:3.12', command: ['python3', '-m', 'http.server'] },
      ['0.0.0.0:8000/TCP', ':::8000/TCP'],
    ],
    [{ image: 'registry.k8s.io/pause:3.9' }, []],
    [{ image: 'example.com/unknown:1' }, []],
  ])('should listen where the real image listens for %j', (container, expected) => {
    const i = listen(container);
    expect(i.listeners.map((l) => `${l.address}:${l.port}/${l.protocol}`)).toEqual(expected);
  });

  it.each([
    [{ image: 'hashicorp/http-echo' }, { afterMs: 0, code: 127 }],
    [{ image: 'nginx' }, undefined],
  ])('should end the main process as the real one would for %j', (container, exit) => {
    expect(listen(container).exit).toEqual(exit);
  });

  it('should keep an interactive shell running when stdin is open (kubectl run -it -- sh)', () => {
    const i = listen({ image: 'busybox', command: ['sh'] }, { stdin: true });
    expect(i.interactiveShell).toBe(true);
    expect(i.exit).toBeUndefined();
  });

  it('should answer HTTP with the image behaviour (http-echo text, nginx 404, agnhost hostname)', () => {
    const req = (path: string) => ({
      method: 'GET',
      path,
      headers: {},
      client: { ip: '10.244.2.9', port: 40000 },
      local: { ip: '10.244.1.5', port: 0 },
    });
    expect(
      listen({ image: 'hashicorp/http-echo', args: ['-text=hello', '-status-code=201'] }).http!(
        5678,
        req('/x'),
      )!.response,
    ).toMatchObject({ status: 201, body: 'hello\n' });
    const nginx = listen({ image: 'nginx' }).http!(80, req('/missing'))!;
    expect(nginx.response.status).toBe(404);
    expect(nginx.log[0]).toMatch(
      /^10\.244\.2\.9 - - \[01\/Jan\/2026:00:00:00 \+0000\] "GET \/missing HTTP\/1\.1" 404 \d+ "-" "-" "-"$/,
    );
    expect(
      listen({ image: 'registry.k8s.io/e2e-test-images/agnhost:2.47', args: ['netexec'] }).http!(
        8080,
        req('/hostname'),
      )!.response.body,
    ).toBe('p');
  });

  it('should not print python http.server start line without unbuffered output, as the real container does', () => {
    expect(
      listen({ image: 'python:3', command: ['python3', '-m', 'http.server', '8080'] }).startupLogs,
    ).toEqual([]);
    expect(
      listen({ image: 'python:3', command: ['python3', '-u', '-m', 'http.server', '8080'] }).startupLogs,
    ).toEqual(['Serving HTTP on :: port 8080 (http://[::]:8080/) ...']);
  });

  it('should serve mounted files with python -m http.server -d', () => {
    const app = listen(
      { image: 'python:3', command: ['python3', '-m', 'http.server', '-d', '/data', '9000'] },
      { files: { '/data/index.html': '<p>report</p>\n', '/data/a.txt': 'A\n' } },
    );
    const req = (path: string) => ({
      method: 'GET',
      path,
      headers: {},
      client: { ip: '10.244.2.9', port: 40000 },
      local: { ip: '10.244.1.5', port: 9000 },
    });
    expect(app.http!(9000, req('/'))!.response).toMatchObject({ status: 200, body: '<p>report</p>\n' });
    expect(app.http!(9000, req('/a.txt'))!.response).toMatchObject({ status: 200, body: 'A\n' });
    expect(app.http!(9000, req('/nope'))!.response.status).toBe(404);
  });
});

describe('shell images', () => {
  it.each([
    [{ image: 'busybox' }, ['sh']],
    [{ image: 'busybox:1.28', command: ['sh', '-c', 'echo hi; exit 3'] }, ['sh', '-c', 'echo hi; exit 3']],
    [{ image: 'alpine:3.20', args: ['sleep', '5'] }, ['sleep', '5']],
    [{ image: 'debian:bookworm' }, ['bash']],
    [{ image: 'nicolaka/netshoot' }, ['zsh']],
    [
      { image: 'python:3', command: ['sh', '-c', 'python3 -m http.server'] },
      ['sh', '-c', 'python3 -m http.server'],
    ],
  ])('should run %j as a process of the emulated shell with argv %j', (container, argv) => {
    const i = listen(container);
    expect(i.main).toEqual(argv);
    expect(i.exit).toBeUndefined();
    expect(i.listeners).toEqual([]);
    expect(i.handlesSigterm).toBe(false);
  });
});
