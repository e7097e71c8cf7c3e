import { describe, expect, it } from 'vitest';
import { evaluateJsonPath } from './json-path';

const svc = {
  metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { ports: [{ port: 80, targetPort: 8080 }] },
};

describe(evaluateJsonPath.name, () => {
  it.each([
    ['$.spec.ports[0].targetPort', 8080],
    ['{.spec.ports[0].port}', 80],
    [".metadata.labels['app.kubernetes.io/name']", 'web'],
    ['$.spec.ports[3].port', undefined],
    ['$.spec.missing.deeper', undefined],
  ])('should read %s', (path, value) => {
    expect(evaluateJsonPath(svc, path)).toBe(value);
  });

  it('should name the part of a path it cannot read', () => {
    expect(() => evaluateJsonPath(svc, '$.spec.ports[*].port')).toThrow('at "[*].port"');
  });
});
