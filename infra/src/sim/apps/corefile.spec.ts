import { describe, expect, it } from 'vitest';
import { corefile } from '../runtime/kube-system-objects';
import { parseCorefile } from './corefile';

describe(parseCorefile.name, () => {
  it("should accept kubeadm's Corefile, without and with log", () => {
    expect(parseCorefile(corefile(33))).toEqual({ ok: true, log: false });
    expect(parseCorefile(corefile(33).replace('    errors\n', '    errors\n    log\n'))).toEqual({
      ok: true,
      log: true,
    });
  });

  it.each([
    [
      '    errors\n',
      '    erors\n',
      "/etc/coredns/Corefile:2 - Error during parsing: Unknown directive 'erors'",
    ],
    [
      '    loadbalance\n}\n',
      '    loadbalance\n',
      '/etc/coredns/Corefile:22 - Error during parsing: Unexpected EOF',
    ],
  ])('should refuse %j replaced by %j as CoreDNS does', (from, to, error) => {
    expect(parseCorefile(corefile(33).replace(from, to))).toEqual({ ok: false, error });
  });
});
