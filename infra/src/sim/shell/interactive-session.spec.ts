import { describe, expect, it } from 'vitest';
import { InteractiveSession } from './interactive-session';
import { fakeShellHost } from './testing/fake-shell-host';
import { TtySession } from './testing/shell-harness';

const UP = '\x1b[A';

describe(InteractiveSession.name, () => {
  it('should show the busybox root prompt', async () => {
    const sut = new TtySession();
    await sut.type('');

    expect(sut.screen()).toBe('/ #');
  });

  it('should echo typed characters, run the line and prompt again', async () => {
    const sut = new TtySession();
    await sut.type('curl -s http://web:8080\r');

    expect(sut.screen()).toBe('/ # curl -s http://web:8080\nhello from web\n/ #');
    expect(sut.stdout.text).toBe('/ # curl -s http://web:8080\r\nhello from web\r\n/ # ');
  });

  it('should interrupt a curl hanging on a dropped connection with Ctrl-C', async () => {
    const sut = new TtySession();
    await sut.type('curl http://db\r');
    expect(sut.clock.sleeping).toBe(1);

    await sut.type('\x03');
    await sut.type('echo $?\r');

    expect(sut.screen()).toBe('/ # curl http://db\n^C\n/ # echo $?\n130\n/ #');
    expect(sut.clock.sleeping).toBe(0);
  });

  it('should print curl timeout once the virtual clock passes --max-time', async () => {
    const sut = new TtySession();
    await sut.type('curl -sS -m 2 http://db; echo "rc=$?"\r');
    await sut.clock.advance(2000);

    expect(sut.screen()).toBe(
      '/ # curl -sS -m 2 http://db; echo "rc=$?"\ncurl: (28) Connection timed out after 2000 milliseconds\nrc=28\n/ #',
    );
  });

  it('should let ping run until Ctrl-C and then print its statistics', async () => {
    const sut = new TtySession();
    await sut.type('ping 10.244.1.5\r');
    await sut.clock.advance(1000);
    await sut.type('\x03');

    expect(sut.screen()).toBe(
      [
        '/ # ping 10.244.1.5',
        'PING 10.244.1.5 (10.244.1.5): 56 data bytes',
        '64 bytes from 10.244.1.5: seq=0 ttl=63 time=0.045 ms',
        '64 bytes from 10.244.1.5: seq=1 ttl=63 time=0.082 ms',
        '^C',
        '--- 10.244.1.5 ping statistics ---',
        '2 packets transmitted, 2 packets received, 0% packet loss',
        'round-trip min/avg/max = 0.045/0.064/0.082 ms',
        '/ #',
      ].join('\n'),
    );
  });

  it('should abandon the line on Ctrl-C at the prompt and set $? to 130', async () => {
    const sut = new TtySession();
    await sut.type('curl web\x03echo $?\r');

    expect(sut.screen()).toBe('/ # curl web^C\n/ # echo $?\n130\n/ #');
  });

  it('should exit on Ctrl-D at an empty prompt with the last status', async () => {
    const sut = new TtySession();
    await sut.type('false\r\x04');

    expect(await sut.exit).toBe(1);
    expect(sut.screen()).toBe('/ # false\n/ #');
    expect(sut.stdout.text.endsWith('/ # \r\n')).toBe(true);
  });

  it('should exit with the code given to exit', async () => {
    const sut = new TtySession();
    await sut.type('exit 3\r');

    expect(await sut.exit).toBe(3);
  });

  it('should exit when the client closes stdin', async () => {
    const sut = new TtySession();
    await sut.type('true\r');
    sut.stdin.end();

    expect(await sut.exit).toBe(0);
  });

  it('should recall the previous command with the up arrow', async () => {
    const sut = new TtySession();
    await sut.type('echo one\r');
    await sut.type(`${UP}\r`);

    expect(sut.screen()).toBe('/ # echo one\none\n/ # echo one\none\n/ #');
  });

  it('should continue an open quote on a "> " line', async () => {
    const sut = new TtySession();
    await sut.type('echo "a\r');
    await sut.type('b"\r');

    expect(sut.screen()).toBe('/ # echo "a\n> b"\na\nb\n/ #');
  });

  it('should show the directory in the prompt after cd, with ~ for HOME', async () => {
    const sut = new TtySession();
    await sut.type('cd /etc\r');
    await sut.type('cd\r');

    expect(sut.screen()).toBe('/ # cd /etc\n/etc # cd\n~ #');
  });

  it('should print syntax errors and carry on', async () => {
    const sut = new TtySession();
    await sut.type('echo a ;; echo b\r');

    expect(sut.screen()).toBe('/ # echo a ;; echo b\nsh: syntax error: unexpected ";"\n/ #');
  });

  it('should prompt with $ for a non-root user', async () => {
    const sut = new TtySession(fakeShellHost({ user: { uid: 1000, gid: 1000, name: 'app' } }));
    await sut.type('whoami\r');

    expect(sut.screen()).toBe('/ $ whoami\napp\n/ $');
  });

  it('should edit a line that wraps on a terminal as narrow as kubectl reports', async () => {
    const sut = new TtySession();
    await sut.type('');
    sut.resize(20);
    await sut.type(`echo 0123456789abcdefghij${'\x1b[D'.repeat(12)}X\r`);

    expect(sut.screen()).toBe('/ # echo 01234567X89\nabcdefghij\n01234567X89abcdefghi\nj\n/ #');
  });

  it.each([
    { what: 'a command', keys: 'cur\t', screen: '/ # curl' },
    { what: 'a file', keys: 'cat /etc/res\t', screen: '/ # cat /etc/resolv.conf' },
    { what: 'a directory', keys: 'ls /e\t', screen: '/ # ls /etc/' },
    { what: 'the common prefix', keys: 'cat /etc/h\t', screen: '/ # cat /etc/host' },
    {
      what: 'the choices on a second Tab',
      keys: 'cat /etc/host\t\t',
      screen: '/ # cat /etc/host\nhostname  hosts\n/ # cat /etc/host',
    },
  ])('should complete $what with Tab', async ({ keys, screen }) => {
    const sut = new TtySession();
    await sut.type(keys);

    expect(sut.screen()).toBe(screen);
  });

  it('should echo type-ahead while a command runs, then read it at the next prompt', async () => {
    const sut = new TtySession();
    await sut.type('sleep 1\r');
    await sut.type('echo next\r');
    await sut.clock.advance(1000);

    expect(sut.screen()).toBe('/ # sleep 1\necho next\n/ # echo next\nnext\n/ #');
  });

  it('should drop type-ahead on Ctrl-C as the tty flushes its input', async () => {
    const sut = new TtySession();
    await sut.type('sleep 5\r');
    await sut.type('echo lost\x03');

    expect(sut.screen()).toBe('/ # sleep 5\necho lost^C\n/ #');
  });

  it('should keep a UTF-8 character split across two input chunks', async () => {
    const sut = new TtySession();
    const bytes = Buffer.from('echo héllo\r');
    sut.stdin.write(bytes.subarray(0, 7)); // ends inside the two bytes of "é"
    await sut.type('');
    sut.stdin.write(bytes.subarray(7));
    await sut.type('');

    expect(sut.screen()).toBe('/ # echo héllo\nhéllo\n/ #');
  });

  it('should repeat a command with watch until Ctrl-C', async () => {
    const sut = new TtySession();
    await sut.type('watch -n 1 curl -s http://web:8080\r');
    await sut.clock.advance(1000);
    await sut.type('\x03');

    expect(sut.screen()).toBe(
      `${'Every 1.0s: curl -s http://web:8080'.padEnd(60)}01 Jan 2026 00:00:01\n\nhello from web\n^C\n/ #`,
    );
  });
});
