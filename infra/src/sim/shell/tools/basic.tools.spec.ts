import { describe, expect, it } from 'vitest';
import { sh } from '../testing/shell-harness';
import { catTool, echoTool, psTool } from './basic.tools';

describe(catTool.name, () => {
  it.each([
    [
      '/etc/resolv.conf',
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    ],
    ['/etc/hostname', 'client\n'],
    ['/etc/hosts', '127.0.0.1\tlocalhost\n10.244.1.5\tclient\n'],
  ])('should print %s', async (path, text) => {
    const sut = await sh(`cat ${path}`);

    expect(sut).toEqual({ code: 0, stdout: text, stderr: '' });
  });

  it('should fail as busybox does for a missing file', async () => {
    const sut = await sh('cat /etc/nope');

    expect(sut).toEqual({
      code: 1,
      stdout: '',
      stderr: "cat: can't open '/etc/nope': No such file or directory\n",
    });
  });
});

describe(echoTool.name, () => {
  it.each([
    ['echo a  b', 'a b\n'],
    ['echo "a  b"', 'a  b\n'],
    ['echo -n x', 'x'],
    ['echo -e "a\\tb"', 'a\tb\n'],
  ])('should print %j', async (script, out) => {
    expect((await sh(script)).stdout).toBe(out);
  });
});

describe(psTool.name, () => {
  it('should list the app, the shell and ps itself', async () => {
    const sut = await sh('ps');

    expect(sut.stdout).toMatch(
      /^PID {3}USER {5}TIME {2}COMMAND\n {4}1 root {6}0:00 \/agnhost netexec --http-port=8080\n +\d+ root {6}0:00 sh\n +\d+ root {6}0:00 ps\n$/,
    );
  });
});

describe('identity tools', () => {
  it.each([
    ['hostname', 'client\n'],
    ['hostname -i', '10.244.1.5\n'],
    ['whoami', 'root\n'],
    ['id', 'uid=0(root) gid=0(root) groups=0(root),10(wheel)\n'],
    ['uname', 'Linux\n'],
    ['pwd', '/\n'],
    ['cd /etc && pwd', '/etc\n'],
    ['env | grep KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_HOST=10.96.0.1\n'],
    ['ls /etc', 'hostname\nhosts\nresolv.conf\n'],
  ])('should print what %s prints', async (script, out) => {
    expect((await sh(script)).stdout).toBe(out);
  });
});
