import { describe, expect, it } from 'vitest';
import { bwrapArgv, SANDBOX_HOME } from './toolbox-sandbox';

describe(bwrapArgv.name, () => {
  it('should mount the system read-only, give a private home and tmp, and hide the server tree', () => {
    const argv = bwrapArgv(
      '/usr/bin/bwrap',
      '/tmp/netlab-toolbox-x/home',
      ['bash', '-l'],
      ['/var', '/definitely/not/here'],
    );
    const pairs = argv.join(' ');
    expect(argv[0]).toBe('/usr/bin/bwrap');
    expect(pairs).toContain('--ro-bind / /');
    expect(pairs).toContain('--tmpfs /tmp');
    expect(pairs).toContain('--tmpfs /home');
    expect(pairs).toContain(`--bind /tmp/netlab-toolbox-x/home ${SANDBOX_HOME}`);
    expect(pairs).toContain('--unshare-all --share-net --die-with-parent');
    expect(pairs).toContain(`--setenv KUBECONFIG ${SANDBOX_HOME}/.kube/config`);
    expect(argv.slice(-3)).toEqual(['--', 'bash', '-l']);
    // A hidden directory that exists gets an empty tmpfs over it; a missing one is skipped.
    expect(pairs).toContain('--tmpfs /var');
    expect(pairs).not.toContain('/definitely/not/here');
  });
});
