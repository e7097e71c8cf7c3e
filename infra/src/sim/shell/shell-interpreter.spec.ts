import { describe, expect, it } from 'vitest';
import { ShellInterpreter } from './shell-interpreter';
import { fakeShellHost } from './testing/fake-shell-host';
import { execOnce, sh, TtySession } from './testing/shell-harness';

describe(ShellInterpreter.name, () => {
  it.each([
    { script: 'true && echo yes', stdout: 'yes\n', code: 0 },
    { script: 'false && echo yes', stdout: '', code: 1 },
    { script: 'false || echo fallback', stdout: 'fallback\n', code: 0 },
    { script: 'curl -s http://closed || echo "down: $?"', stdout: 'down: 7\n', code: 0 },
    { script: 'curl -s http://web:8080 && echo "up: $?"', stdout: 'hello from web\nup: 0\n', code: 0 },
    { script: 'false; echo $?', stdout: '1\n', code: 0 },
    { script: '! false && echo negated', stdout: 'negated\n', code: 0 },
    { script: 'curl -s http://web:8080 | grep -c hello', stdout: '1\n', code: 0 },
    { script: 'echo one; echo two | wc -l', stdout: 'one\n1\n', code: 0 },
    { script: 'exit 3; echo never', stdout: '', code: 3 },
    { script: 'false; exit', stdout: '', code: 1 },
  ])('should run $script', async ({ script, stdout, code }) => {
    const sut = await sh(script);

    expect({ stdout: sut.stdout, code: sut.code }).toEqual({ stdout, code });
  });

  it.each([
    { script: 'echo $KUBERNETES_SERVICE_HOST', stdout: '10.96.0.1\n' },
    { script: 'echo ${WEB_SERVICE_HOST}:8080', stdout: '10.96.0.20:8080\n' },
    { script: 'echo "$UNSET" x', stdout: ' x\n' },
    { script: 'echo ${UNSET:-default}', stdout: 'default\n' },
    { script: "echo '$HOME'", stdout: '$HOME\n' },
    { script: 'X="a   b"; echo $X; echo "$X"', stdout: 'a b\na   b\n' },
    { script: 'URL=http://web:8080; curl -s $URL', stdout: 'hello from web\n' },
    { script: 'export GREETING=hi; env | grep GREETING', stdout: 'GREETING=hi\n' },
    { script: 'echo "ip: $(hostname -i)"', stdout: 'ip: 10.244.1.5\n' },
    { script: 'echo `hostname`', stdout: 'client\n' },
  ])('should expand $script', async ({ script, stdout }) => {
    expect((await sh(script)).stdout).toBe(stdout);
  });

  it.each([
    { script: 'for i in 1 2 3; do echo "try $i"; done', stdout: 'try 1\ntry 2\ntry 3\n' },
    { script: 'if nc -z web 8080; then echo open; else echo closed; fi', stdout: 'open\n' },
    { script: 'if nc -z closed 80; then echo open; else echo closed; fi', stdout: 'closed\n' },
    { script: 'until true; do echo never; done; echo done', stdout: 'done\n' },
    { script: 'for i in $(seq 1 5); do [ $i -eq 3 ] && break; echo $i; done', stdout: '1\n2\n' },
    { script: 'for i in 1 2 3; do [ "$i" = 2 ] && continue; echo $i; done', stdout: '1\n3\n' },
    { script: 'i=0; while [ $i -lt 3 ]; do i=$((i + 1)); echo "n=$i"; done', stdout: 'n=1\nn=2\nn=3\n' },
    { script: 'echo $(( (2 + 3) * 4 % 7 ))', stdout: '6\n' },
  ])('should run the compound command $script', async ({ script, stdout }) => {
    expect((await sh(script)).stdout).toBe(stdout);
  });

  it.each([
    { script: 'nc -zvv closed 80 2>&1 | grep -c refused', stdout: '1\n', stderr: '' },
    { script: 'curl -sS http://nope 2>/dev/null; echo $?', stdout: '6\n', stderr: '' },
    { script: 'echo saved > /tmp/f; cat /tmp/f', stdout: 'saved\n', stderr: '' },
    { script: 'echo a > /tmp/f; echo b >> /tmp/f; wc -l < /tmp/f', stdout: '2\n', stderr: '' },
    { script: 'cat < /nope', stdout: '', stderr: "sh: can't open '/nope': No such file or directory\n" },
  ])('should redirect in $script', async ({ script, stdout, stderr }) => {
    const sut = await sh(script);

    expect({ stdout: sut.stdout, stderr: sut.stderr }).toEqual({ stdout, stderr });
  });

  it.each([
    { script: 'bash', stderr: 'sh: bash: not found\n', code: 127 },
    { script: '/usr/bin/python3 -V', stderr: 'sh: /usr/bin/python3: not found\n', code: 127 },
    { script: 'cd /nope', stderr: "sh: cd: can't cd to /nope: No such file or directory\n", code: 2 },
    { script: 'echo "open', stderr: 'sh: syntax error: unterminated quoted string\n', code: 2 },
    { script: 'exit abc', stderr: 'sh: exit: Illegal number: abc\n', code: 2 },
  ])('should fail as ash does for $script', async ({ script, stderr, code }) => {
    expect(await sh(script)).toEqual({ code, stdout: '', stderr });
  });

  it.each([
    { command: ['sh', '-c', 'nslookup web'], stderr: 'sh: 1: nslookup: not found\n' },
    {
      command: ['/bin/sh', '-c', 'echo a\necho b\n\nnslookup web'],
      stderr: '/bin/sh: 4: nslookup: not found\n',
    },
    { command: ['sh', '-c', 'for i in 1; do\n  ping -c1 web\ndone'], stderr: 'sh: 2: ping: not found\n' },
    {
      command: ['sh', '-c', 'echo "$(nope)"; nope'],
      stderr: 'sh: 1: nope: not found\nsh: 1: nope: not found\n',
    },
    { command: ['bash', '-c', 'echo\nnope'], stderr: 'bash: line 2: nope: command not found\n' },
  ])(
    'should word a missing command as the image shell does when it runs $command',
    async ({ command, stderr }) => {
      const host = fakeShellHost({ shell: 'dash', programs: ['sh', 'dash', 'bash', 'echo'] });

      const sut = await execOnce(command, { host });

      expect(sut.stderr).toBe(stderr);
      expect(sut.code).toBe(127);
    },
  );

  it.each([
    {
      shell: 'dash' as const,
      command: ['sh', '-c', 'cd /nope'],
      stderr: "sh: 1: cd: can't cd to /nope\n",
      code: 2,
    },
    {
      shell: 'dash' as const,
      command: ['sh', '-c', 'exit abc'],
      stderr: 'sh: 1: exit: Illegal number: abc\n',
      code: 2,
    },
    {
      shell: 'ash' as const,
      command: ['sh', '-c', 'cd /nope'],
      stderr: "sh: cd: can't cd to /nope: No such file or directory\n",
      code: 2,
    },
    {
      shell: 'dash' as const,
      command: ['bash', '-c', 'cd /nope'],
      stderr: 'bash: line 1: cd: /nope: No such file or directory\n',
      code: 1,
    },
    {
      shell: 'dash' as const,
      command: ['bash', '-c', 'exit abc; echo never'],
      stderr: 'bash: line 1: exit: abc: numeric argument required\n',
      code: 2,
    },
  ])(
    'should word a failing builtin as $shell does for $command',
    async ({ shell, command, stderr, code }) => {
      const host = fakeShellHost({ shell, programs: ['sh', 'dash', 'bash', 'echo'] });

      expect(await execOnce(command, { host })).toEqual({ code, stdout: '', stderr });
    },
  );

  it('should number an interactive dash session by the lines it has read when a command is missing', async () => {
    const session = new TtySession(fakeShellHost({ shell: 'dash', programs: ['sh', 'dash', 'echo'] }));

    await session.type('echo hi\r');
    await session.type('\r');
    await session.type('curl web\r');

    expect(session.screen()).toContain('sh: 3: curl: not found');
  });

  it('should word an interactive bash without a line number when a command is missing', async () => {
    const session = new TtySession(fakeShellHost({ programs: ['sh', 'bash'] }), ['bash']);

    await session.type('curl web\r');

    expect(session.screen()).toContain('bash: curl: command not found');
  });

  it('should find programs by absolute path like busybox', async () => {
    expect((await sh('/usr/bin/curl -s http://web:8080 && /bin/echo ok')).stdout).toBe(
      'hello from web\nok\n',
    );
  });

  it('should let an endless echo loop be interrupted instead of freezing the process', async () => {
    const sut = new TtySession();
    await sut.type('while true; do echo spam; done\r');
    await new Promise((resolve) => setTimeout(resolve, 20));

    await sut.type('\x03');
    await sut.type('echo $?\r');

    expect(sut.screen().endsWith('spam\n^C\n/ # echo $?\n130\n/ #')).toBe(true);
  });

  it('should keep the shell alive when the cluster below fails a request', async () => {
    const host = fakeShellHost({
      http: () => Promise.reject(new Error('dataplane unavailable')),
    });

    const sut = await sh('curl -s http://web:8080; echo "after $?"', { host });

    expect(sut).toEqual({ code: 0, stdout: 'after 1\n', stderr: 'curl: dataplane unavailable\n' });
  });
});
