import { describe, expect, it } from 'vitest';
import { bwrapArgv, prlimitArgv, SANDBOX_HOME, SANDBOX_LIMITS, SANDBOX_RUN } from './toolbox-sandbox';

describe(bwrapArgv.name, () => {
  const argv = bwrapArgv({
    bwrap: '/usr/bin/bwrap',
    node: '/usr/bin/node',
    launcher: '/tmp/t/launcher.mjs',
    seed: '/tmp/t/home',
    socket: '/tmp/t/api.sock',
    port: 43210,
    hidden: ['/var', '/definitely/not/here'],
    command: ['bash', '-l'],
    limits: { ...SANDBOX_LIMITS, tmpfsBytes: 1000 },
  });
  const joined = argv.join(' ');

  it('should give the shell its own network, user and PID namespaces with nested user namespaces disabled', () => {
    expect(argv[0]).toBe('/usr/bin/bwrap');
    expect(joined).toContain('--unshare-all --unshare-user --disable-userns --die-with-parent');
    expect(joined).not.toContain('--share-net');
  });

  it('should mount the system read-only with size-limited private /tmp and home and hide the server tree', () => {
    expect(joined).toContain('--ro-bind / /');
    expect(joined).toContain('--size 1000 --tmpfs /tmp --size 1000 --tmpfs /var/tmp');
    expect(joined).toContain(`--size 1000 --tmpfs ${SANDBOX_HOME}`);
    expect(joined).toContain('--tmpfs /var');
    expect(joined).not.toContain('/definitely/not/here');
  });

  it('should reach the API only through the bound socket, forwarded to the kubeconfig port by the launcher', () => {
    expect(joined).toContain(`--bind /tmp/t/api.sock ${SANDBOX_RUN}/api.sock`);
    expect(argv.slice(-9)).toEqual([
      '/usr/bin/node',
      `${SANDBOX_RUN}/launcher.mjs`,
      `${SANDBOX_RUN}/api.sock`,
      '43210',
      `${SANDBOX_RUN}/seed`,
      SANDBOX_HOME,
      '--',
      'bash',
      '-l',
    ]);
  });
});

describe(prlimitArgv.name, () => {
  it('should limit processes per uid only when the shell has a uid of its own', () => {
    expect(prlimitArgv('/usr/bin/prlimit', SANDBOX_LIMITS, true, ['x']).join(' ')).toMatch(
      /^\/usr\/bin\/prlimit --nproc=128 --nofile=1024 --cpu=600 --data=\d+ --fsize=\d+ -- x$/,
    );
    expect(prlimitArgv('/usr/bin/prlimit', SANDBOX_LIMITS, false, ['x'])).not.toContain('--nproc=128');
  });
});
