import { describe, expect, it } from 'vitest';
import { appListeners } from './listener-hints';

describe(appListeners.name, () => {
  it.each([
    [
      'hashicorp/http-echo:1.0',
      undefined,
      ['-listen=127.0.0.1:8080', '-text=hi'],
      [{ address: '127.0.0.1', port: 8080 }],
    ],
    ['hashicorp/http-echo:1.0', undefined, ['-listen=:8081'], [{ address: '0.0.0.0', port: 8081 }]],
    ['hashicorp/http-echo', undefined, ['-text=hi'], [{ address: '0.0.0.0', port: 5678 }]],
    [
      'python:3',
      ['python', '-m', 'http.server'],
      ['9000', '--bind', '127.0.0.1'],
      [{ address: '127.0.0.1', port: 9000 }],
    ],
    ['python:3', ['python3', '-m', 'http.server'], [], [{ address: '0.0.0.0', port: 8000 }]],
    [
      'registry.k8s.io/e2e-test-images/agnhost:2.52',
      undefined,
      ['netexec', '--http-port=8085'],
      [{ address: '0.0.0.0', port: 8085 }],
    ],
    ['nginx:1.27', undefined, undefined, []],
  ])('should read what %s %j %j listens on', (image, command, args, expected) => {
    expect(appListeners({ name: 'c', image, command, args })).toEqual(expected);
  });
});
