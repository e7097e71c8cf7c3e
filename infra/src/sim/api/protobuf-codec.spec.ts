import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from './protobuf-codec';

/** Encodes a protobuf length-delimited field (enough for these fixtures). */
function field(n: number, value: Buffer | string): Buffer {
  const body = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([Buffer.from([(n << 3) | 2, body.length]), body]);
}
function varint(n: number, value: number): Buffer {
  return Buffer.from([(n << 3) | 0, value]);
}
function unknown(apiVersion: string, kind: string, raw: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    field(1, Buffer.concat([field(1, apiVersion), field(2, kind)])),
    field(2, raw),
  ]);
}

describe(decodeProtobufObject.name, () => {
  it('should decode a Namespace as kubectl create namespace sends it', () => {
    const meta = Buffer.concat([field(1, 'team'), field(2, ''), field(3, '')]);
    const sut = decodeProtobufObject(
      unknown('v1', 'Namespace', Buffer.concat([field(1, meta), field(2, Buffer.alloc(0))])),
    );
    expect(sut).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' }, spec: {} });
  });

  it('should decode maps, repeated messages, int-or-string and explicit zero replicas', () => {
    const port = Buffer.concat([
      field(1, '80-8080'),
      field(2, 'TCP'),
      varint(3, 80),
      field(4, Buffer.concat([varint(1, 0), varint(2, 80)])),
    ]);
    const selector = field(2, Buffer.concat([field(1, 'app'), field(2, 'api')]));
    const spec = Buffer.concat([field(1, port), selector, field(4, 'ClusterIP')]);
    const sut = decodeProtobufObject(
      unknown('v1', 'Service', Buffer.concat([field(1, field(1, 'api')), field(2, spec)])),
    );
    expect(sut).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api' },
      spec: {
        ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 80 }],
        selector: { app: 'api' },
        type: 'ClusterIP',
      },
    });
    const deploy = decodeProtobufObject(
      unknown('apps/v1', 'Deployment', Buffer.concat([field(1, field(1, 'd')), field(2, varint(1, 0))])),
    );
    expect(deploy.spec).toEqual({ replicas: 0 });
  });

  it.each([
    [Buffer.from('{"kind":"Pod"}'), 400, 'provided input is not a Kubernetes protobuf object'],
    [unknown('apps/v1', 'DaemonSet', Buffer.alloc(0)), 415, 'the sim API decodes protobuf only for'],
  ])('should refuse %s with %i', (body, code, message) => {
    expect(() => decodeProtobufObject(body)).toThrow(
      expect.objectContaining({
        status: expect.objectContaining({ code, message: expect.stringContaining(message) }),
      }),
    );
  });
});
