import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runShell } from './run-shell';
import { settle, VirtualClock } from './shell-clock';
import { fakeShellHost } from './testing/fake-shell-host';
import { Capture, execOnce, TtySession } from './testing/shell-harness';

describe(runShell.name, () => {
  it.each([
    [['curl', '-sS', 'http://web:8080']],
    [['/usr/bin/curl', '-sS', 'http://web:8080']],
    [['/bin/sh', '-c', 'curl -sS http://web:8080']],
    [['sh', '-c', 'curl -sS http://web:8080']],
    [['ash', '-c', 'curl -sS http://web:8080']],
  ])('should run %j', async (command) => {
    expect(await execOnce(command)).toEqual({ code: 0, stdout: 'hello from web\n', stderr: '' });
  });

  it.each([
    {
      command: ['bash'],
      stderr:
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown\n',
    },
    {
      command: ['/bin/bash', '-l'],
      stderr:
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "/bin/bash": stat /bin/bash: no such file or directory: unknown\n',
    },
  ])('should fail $command as the container runtime does', async ({ command, stderr }) => {
    expect(await execOnce(command)).toEqual({ code: 126, stdout: '', stderr });
  });

  it('should exit with the status of sh -c', async () => {
    expect(await execOnce(['sh', '-c', 'curl -s http://nope'])).toEqual({ code: 6, stdout: '', stderr: '' });
  });

  it('should say that -c needs an argument', async () => {
    expect(await execOnce(['sh', '-c'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sh: -c requires an argument\n',
    });
  });

  it('should run a script from stdin line by line when there is no TTY', async () => {
    const script =
      'echo start\nfor i in 1 2; do\n  echo "loop $i"\ndone\ncurl -s http://closed || echo refused\nexit 4\necho never\n';

    const sut = await execOnce(['sh'], { stdin: script });

    expect(sut).toEqual({ code: 4, stdout: 'start\nloop 1\nloop 2\nrefused\n', stderr: '' });
  });

  it('should end with the last status at the end of a script', async () => {
    expect((await execOnce(['sh'], { stdin: 'true\nfalse\n' })).code).toBe(1);
  });

  it('should give a program only the stdin it reads', async () => {
    expect(await execOnce(['wc', '-l'], { stdin: 'a\nb\n' })).toEqual({ code: 0, stdout: '2\n', stderr: '' });
  });

  it('should only offer the programs the image has', async () => {
    const host = fakeShellHost({ programs: ['sh', 'wget'] });

    expect(await execOnce(['sh', '-c', 'curl http://web:8080'], { host })).toEqual({
      code: 127,
      stdout: '',
      stderr: 'sh: curl: not found\n',
    });
    expect((await execOnce(['curl', 'http://web:8080'], { host })).code).toBe(126);
    expect((await execOnce(['sh', '-c', '[ 1 -eq 1 ] && echo builtin; type test'], { host })).stdout).toBe(
      'builtin\ntest is a shell builtin\n',
    );
  });

  it('should interrupt a one-shot TTY program on Ctrl-C like the terminal does', async () => {
    const sut = new TtySession(fakeShellHost(), ['curl', 'http://db']);
    await sut.type('');
    await sut.type('\x03');

    expect(await sut.exit).toBe(130);
    expect(sut.screen()).toBe('^C');
  });

  it('should wait the real time when no clock is injected for a short timeout', async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    const io = {
      stdout,
      stderr,
      tty: false,
      onResize: () => () => undefined,
      signal: new AbortController().signal,
    };

    const code = await runShell(fakeShellHost(), ['sh', '-c', 'curl -sS -m 0.05 http://db'], io);

    expect(code).toBe(28);
    expect(stderr.text).toMatch(/^curl: \(28\) Connection timed out after \d+ milliseconds\n$/);
  });

  it('should stop waiting when the exec client goes away', async () => {
    const client = new AbortController();
    const stdin = new PassThrough();
    const io = {
      stdin,
      stdout: new Capture(),
      tty: true,
      onResize: () => () => undefined,
      signal: client.signal,
    };
    const clock = new VirtualClock({ autoAdvance: false });
    const done = runShell(fakeShellHost(), ['sh'], io, { clock });
    stdin.write('curl http://db\r');
    await settle();

    client.abort();

    expect(await done).toBe(130);
  });

  it('should give a direct exec the runtime environment, and sh its SHLVL and PWD', async () => {
    const direct = await execOnce(['env']);
    const viaShell = await execOnce(['sh', '-c', 'env']);

    expect(direct.stdout).toBe(
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=client\n' +
        'KUBERNETES_SERVICE_HOST=10.96.0.1\nKUBERNETES_SERVICE_PORT=443\nWEB_SERVICE_HOST=10.96.0.20\nHOME=/root\n',
    );
    expect(viaShell.stdout).toBe(`${direct.stdout}SHLVL=1\nPWD=/\n`);
  });

  it('should run watch as a direct exec command until Ctrl-C', async () => {
    const sut = new TtySession(fakeShellHost(), ['watch', '-t', '-n', '1', 'echo', 'up']);
    await sut.type('');
    await sut.type('\x03');

    expect(await sut.exit).toBe(130);
    expect(sut.screen()).toBe('up\n^C');
  });
});
