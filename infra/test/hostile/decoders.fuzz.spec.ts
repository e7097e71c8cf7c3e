import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterRuntime } from '../../src/sim/runtime/container-runtime';
import type { SimCluster } from '../../src/sim/sim-cluster';
import { FakeRuntime, markRunning } from '../conformance/fake-runtime';
import { aCluster, call, caOf, type Answer } from './hostile-harness';

const CM = '/api/v1/namespaces/default/configmaps';
/** Far above a healthy answer (a few ms), far below the minutes the old decoders stalled for. */
const BOUND_MS = 5000;

/** Nested JSON of random shape and depth, up to deeper than the API accepts. */
const deepJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'large', maxDepth: 150 },
    fc.jsonValue({ maxDepth: 2 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** Protobuf-looking bytes: the k8s magic, then random tags, varints and lengths. */
const protobufish = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 20 }),
      fc.constant(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])),
      fc.constant(new Uint8Array(30).fill(0x80)),
      fc.constant(Uint8Array.from([0x12, 0x05, 0x0a, 0x01, 0x6b, 0x12, 0x00])),
    ),
    { maxLength: 40 },
  )
  .map((parts) => Buffer.concat([Buffer.from('k8s\0', 'latin1'), ...parts.map((p) => Buffer.from(p))]));

function expectStatusOrObject(r: Answer): void {
  expect(r.ms).toBeLessThan(BOUND_MS);
  const body = JSON.parse(r.body) as { kind?: string; code?: number };
  if (r.status >= 400) {
    expect(body.kind).toBe('Status');
    expect(body.code).toBe(r.status);
    // A decoder's refusal is the client's fault, never an internal error.
    expect(r.status, r.body).toBeLessThan(500);
  } else expect(r.status).toBeLessThan(300);
}

describe('the sim API decoders under fuzzing', { timeout: 240_000 }, () => {
  let sut: SimCluster;
  const fake = new FakeRuntime(3);

  beforeAll(async () => {
    const runtime = (): ClusterRuntime =>
      Object.assign(fake, { start: () => undefined, stop: async () => undefined });
    sut = await aCluster('fuzz', { runtime });
    await call(
      sut,
      'POST',
      CM,
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 't' } }),
    );
    sut.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'box', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    markRunning(sut.store, 'default', 'box');
  });
  afterAll(() => sut?.stop());

  it('should answer every JSON body with an object or a 4xx Status in bounded time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(deepJson, fc.string({ maxLength: 200 })), async (v) => {
        const text =
          typeof v === 'string'
            ? v
            : JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'f-' }, x: v });
        expectStatusOrObject(await call(sut, 'POST', CM, text));
      }),
      { numRuns: 60 },
    );
  });

  it('should answer every YAML body with an object or a 4xx Status in bounded time', async () => {
    const yamlish = fc.array(
      fc.oneof(
        fc.constantFrom('- ', '[', ']', '{', '}', ': ', '\n', '  ', '&a ', '*a', '"', "'", 'x', '#', '<<: '),
        fc.string({ maxLength: 4 }),
      ),
      { maxLength: 300 },
    );
    await fc.assert(
      fc.asyncProperty(yamlish, async (parts) => {
        const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: y-}\nx: ${parts.join('')}\n`;
        expectStatusOrObject(await call(sut, 'POST', CM, text, 'application/yaml'));
      }),
      { numRuns: 60 },
    );
  });

  it('should answer every protobuf body with an object or a 4xx Status in bounded time', async () => {
    await fc.assert(
      fc.asyncProperty(protobufish, async (body) => {
        expectStatusOrObject(await call(sut, 'POST', CM, body, 'application/vnd.kubernetes.protobuf'));
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    ['application/strategic-merge-patch+json'],
    ['application/merge-patch+json'],
    ['application/json-patch+json'],
    ['application/apply-patch+yaml'],
  ])('should answer every %s patch with an object or a 4xx Status in bounded time', async (type) => {
    const op = fc.record({
      op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus'),
      path: fc.constantFrom(
        '',
        '/',
        '/data',
        '/data/a',
        '/x',
        '/x/-',
        '/metadata/labels',
        '/__proto__/x',
        '/x/0',
      ),
      from: fc.constantFrom('/data', '/x', '', '/metadata'),
      value: deepJson,
    });
    const body = type === 'application/json-patch+json' ? fc.array(op, { maxLength: 30 }) : deepJson;
    await fc.assert(
      fc.asyncProperty(body, async (patch) => {
        const path = `${CM}/t${type.includes('apply') ? '?fieldManager=fuzz' : ''}`;
        expectStatusOrObject(await call(sut, 'PATCH', path, JSON.stringify(patch), type));
      }),
      { numRuns: 40 },
    );
  });

  it('should survive any exec WebSocket frames and keep serving', async () => {
    const frame = fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
      fc
        .tuple(fc.constantFrom(0, 1, 2, 3, 4, 255), fc.string({ maxLength: 64 }))
        .map(([c, s]) => Buffer.concat([Buffer.from([c]), Buffer.from(s)])),
      fc
        .jsonValue({ maxDepth: 3 })
        .map((v) => Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify(v))])),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { maxLength: 20 }), fc.boolean(), async (frames, tty) => {
        const ws = new WebSocket(
          `${sut.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/box/exec?command=cat&stdin=true&stdout=true&tty=${tty}`,
          ['v5.channel.k8s.io'],
          { ca: caOf(sut), headers: { Authorization: `Bearer ${sut.token}` } },
        );
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        for (const f of frames) ws.send(f);
        ws.send(Buffer.from([255, 0]));
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => ws.terminate(), BOUND_MS);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        expect((await call(sut, 'GET', '/api/v1/namespaces/default/pods/box')).status).toBe(200);
      }),
      { numRuns: 40 },
    );
  });
});
