import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimCluster } from '../../src/sim/sim-cluster';
import { aCluster, call } from './hostile-harness';

const CM = '/api/v1/namespaces/default/configmaps';

/** A protobuf length-delimited field. */
function ld(n: number, body: Buffer): Buffer {
  const len: number[] = [];
  let l = body.length;
  while (l > 127) {
    len.push((l & 127) | 128);
    l >>>= 7;
  }
  len.push(l);
  return Buffer.concat([Buffer.from([(n << 3) | 2, ...len]), body]);
}

function k8sProtobuf(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const type = ld(1, Buffer.concat([ld(1, Buffer.from(apiVersion)), ld(2, Buffer.from(kind))]));
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), type, ld(2, raw)]);
}

describe('hostile request bodies', { timeout: 60_000 }, () => {
  let sut: SimCluster;
  let other: SimCluster;

  beforeAll(async () => {
    sut = await aCluster('bodies');
    other = await aCluster('bystander');
  });
  afterAll(async () => {
    await sut?.stop();
    await other?.stop();
  });

  async function expectBystanderFine(): Promise<void> {
    const r = await call(other, 'GET', '/api/v1/namespaces');
    expect(r.status).toBe(200);
  }

  it('should refuse JSON nested 100000 deep with a 400 and keep serving', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const r = await call(
      sut,
      'POST',
      CM,
      `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"x":${deep}}`,
    );
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).message).toContain('exceeded max depth of 100');
    await expectBystanderFine();
  });

  it('should refuse an object nested 1000 deep that would be stored and break every later reader', async () => {
    const deep = `${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`;
    const r = await call(
      sut,
      'POST',
      CM,
      `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"},"x":${deep}}`,
    );
    expect(r.status).toBe(400);
    expect((await call(sut, 'GET', `${CM}/b`)).status).toBe(404);
  });

  it('should refuse deep YAML (flow and block) with a 400 before the parser recurses', async () => {
    const flow = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nx: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`;
    const block = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nx:\n${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i + 1)}a${i}:`).join('\n')} 1\n`;
    for (const body of [flow, block]) {
      const r = await call(sut, 'POST', CM, body, 'application/yaml');
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body).message).toContain('exceeded max depth');
    }
    await expectBystanderFine();
  });

  it('should refuse a YAML alias bomb', async () => {
    const lines = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: d}',
      'a: &a [x, x, x, x, x, x, x, x, x]',
    ];
    for (let i = 1; i < 12; i++)
      lines.push(
        `l${i}: &l${i} [${Array(9)
          .fill(i === 1 ? '*a' : `*l${i - 1}`)
          .join(', ')}]`,
      );
    const r = await call(sut, 'POST', CM, `${lines.join('\n')}\n`, 'application/yaml');
    expect(r.status).toBe(400);
  });

  it('should answer a body over the limit with 413 as the API server words it', async () => {
    const r = await call(sut, 'POST', CM, `{"x":"${'a'.repeat(3 * 1024 * 1024)}"}`);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).message).toBe('Request entity too large: limit is 3145728');
  });

  it('should refuse a JSON patch whose copies would double the object each step', async () => {
    await call(
      sut,
      'POST',
      CM,
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p' } }),
    );
    const ops: object[] = [{ op: 'add', path: '/x', value: [Array.from({ length: 100 }, (_, i) => i)] }];
    for (let i = 0; i < 60; i++) ops.push({ op: 'copy', from: '/x', path: '/x/-' });
    const r = await call(sut, 'PATCH', `${CM}/p`, JSON.stringify(ops), 'application/json-patch+json');
    expect(r.status).toBe(413);
    await expectBystanderFine();
  });

  it('should refuse a JSON patch of more than 10000 operations', async () => {
    const ops = Array.from({ length: 10_001 }, () => ({ op: 'test', path: '/kind', value: 'ConfigMap' }));
    const r = await call(sut, 'PATCH', `${CM}/p`, JSON.stringify(ops), 'application/json-patch+json');
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).message).toBe(
      'The allowed maximum operations in a JSON patch is 10000, got 10001',
    );
  });

  it('should refuse a protobuf body of one endless varint quickly', async () => {
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.alloc(2 * 1024 * 1024, 0x80)]);
    const r = await call(sut, 'POST', CM, body, 'application/vnd.kubernetes.protobuf');
    expect(r.status).toBe(400);
    await expectBystanderFine();
  });

  it('should refuse a protobuf ConfigMap with hundreds of thousands of map entries without stalling', async () => {
    const entry = ld(2, Buffer.concat([ld(1, Buffer.from('k')), ld(2, Buffer.from('v'))]));
    const raw = Buffer.concat([ld(1, ld(1, Buffer.from('m'))), ...Array<Buffer>(300_000).fill(entry)]);
    const r = await call(
      sut,
      'POST',
      CM,
      k8sProtobuf('v1', 'ConfigMap', raw),
      'application/vnd.kubernetes.protobuf',
    );
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).message).toContain('too many fields');
    await expectBystanderFine();
  });

  it('should still decode a protobuf ConfigMap with many keys when it is within the limits', async () => {
    const entries = Array.from({ length: 5000 }, (_, i) =>
      ld(2, Buffer.concat([ld(1, Buffer.from(`k${i}`)), ld(2, Buffer.from('v'))])),
    );
    const raw = Buffer.concat([ld(1, ld(1, Buffer.from('many'))), ...entries]);
    const r = await call(
      sut,
      'POST',
      CM,
      k8sProtobuf('v1', 'ConfigMap', raw),
      'application/vnd.kubernetes.protobuf',
    );
    expect(r.status).toBe(201);
    expect(Object.keys(JSON.parse(r.body).data as object)).toHaveLength(5000);
  });
});
