import { describe, expect, it } from 'vitest';
import type { AppInstance, AppListener } from './app-model';
import { failedToBind, takenListeners } from './bind-failure';

const tcp = (address: string, port: number): AppListener => ({ address, port, protocol: 'TCP' });
const running: AppInstance = {
  listeners: [tcp('0.0.0.0', 80)],
  processes: [],
  startupLogs: [
    '/docker-entrypoint.sh: Configuration complete; ready for start up',
    '2026/12/02 03:00:00 [notice] 1#1: nginx/1.27.3',
  ],
  handlesSigterm: true,
};
const NOW = Date.parse('2026-12-02T03:00:00Z');

describe(takenListeners.name, () => {
  it.each([
    ['the same address and port', [tcp('0.0.0.0', 80)], [tcp('0.0.0.0', 80)], 1],
    ['a wildcard holding the port of a specific address', [tcp('127.0.0.1', 80)], [tcp('0.0.0.0', 80)], 1],
    ['a specific address holding the port of a wildcard', [tcp('0.0.0.0', 80)], [tcp('127.0.0.1', 80)], 1],
    ['two specific addresses on one port', [tcp('127.0.0.1', 80)], [tcp('10.244.1.5', 80)], 0],
    ['another port', [tcp('0.0.0.0', 8080)], [tcp('0.0.0.0', 80)], 0],
    ['another protocol', [{ ...tcp('0.0.0.0', 53), protocol: 'UDP' as const }], [tcp('0.0.0.0', 53)], 0],
  ])('should count %s', (_name, wanted, held, count) => {
    expect(takenListeners(wanted, held)).toHaveLength(count);
  });
});

describe(failedToBind.name, () => {
  it('should log nginx bind errors five times, then still could not bind(), and exit 1 after 2.5 s when nginx loses the port', () => {
    const sut = failedToBind('nginx', running, [tcp('0.0.0.0', 80)], NOW);
    expect(sut.listeners).toEqual([]);
    expect(sut.exit).toEqual({ afterMs: 2500, code: 1 });
    expect(sut.startupLogs[0]).toBe('/docker-entrypoint.sh: Configuration complete; ready for start up');
    expect(
      sut.startupLogs.filter(
        (l) => l === 'nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)',
      ),
    ).toHaveLength(5);
    expect(sut.startupLogs.at(-1)).toBe('nginx: [emerg] still could not bind()');
  });

  it('should end python http.server with OSError Errno 98 when python loses the port', () => {
    const sut = failedToBind('python', running, [tcp('0.0.0.0', 80)], NOW);
    expect(sut.startupLogs[0]).toBe('Traceback (most recent call last):');
    expect(sut.startupLogs.at(-1)).toBe('OSError: [Errno 98] Address already in use');
    expect(sut.exit?.code).toBe(1);
  });

  it('should end http-echo with Go listen error wording when http-echo loses the port', () => {
    const sut = failedToBind('http-echo', running, [tcp('0.0.0.0', 5678)], NOW);
    expect(sut.startupLogs.at(-1)).toBe(
      '2026/12/02 03:00:00 [ERR] Error starting server: listen tcp :5678: bind: address already in use',
    );
    expect(sut.exit).toEqual({ afterMs: 0, code: 1 });
  });
});
