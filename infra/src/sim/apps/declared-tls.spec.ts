import { describe, expect, it } from 'vitest';
import type { AppInstance } from './app-model';
import { withDeclaredTls } from './declared-tls';

function anInstance(): AppInstance {
  return {
    listeners: [
      { address: '0.0.0.0', port: 8443, protocol: 'TCP' },
      { address: '0.0.0.0', port: 8080, protocol: 'TCP' },
    ],
    processes: [],
    startupLogs: [],
    handlesSigterm: true,
  };
}

describe(withDeclaredTls.name, () => {
  it('should serve the mounted certificate on the declared port only', () => {
    const sut = withDeclaredTls(
      anInstance(),
      [{ port: 8443, certificate: '/tls/tls.crt', plainHttp: 'go-400' }],
      {
        '/tls/tls.crt': 'PEM',
      },
    );

    expect(sut.listeners.map((l) => [l.port, l.tls])).toEqual([
      [8443, { chainPem: 'PEM', plainHttp: 'go' }],
      [8080, undefined],
    ]);
  });

  it('should present no certificate and hang up on plain HTTP when the file is not mounted and nothing else is said', () => {
    const sut = withDeclaredTls(anInstance(), [{ port: 8443, certificate: '/tls/tls.crt' }], {});

    expect(sut.listeners[0]!.tls).toEqual({ chainPem: '', plainHttp: 'close' });
  });
});
