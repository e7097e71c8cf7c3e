import { readFileSync } from 'node:fs';
import type { OpenAPI3 } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PENDING_PATHS } from '../src/api/pending-contract';
import { startRealServer, type RealServer } from '../test/support/real-server';
import { GENERATED_FILE, renderApiTypes } from './api-types';

describe('web API types', () => {
  let server: RealServer;
  let doc: OpenAPI3;

  beforeAll(async () => {
    server = await startRealServer();
    doc = (await (await fetch(`${server.url}/api/docs-json`)).json()) as OpenAPI3;
  }, 240_000);
  afterAll(() => server?.stop(), 30_000);

  it('should match the server OpenAPI document when generated afresh', async () => {
    const fresh = await renderApiTypes(doc);
    expect(
      readFileSync(GENERATED_FILE, 'utf8') === fresh,
      'web/src/api/generated/openapi.ts is stale: run `npm run -w web api:types` and commit it',
    ).toBe(true);
  });

  it('should keep no hand-written path that the server documents fully', () => {
    const typed = PENDING_PATHS.filter((p) => fullyTyped(doc, p));
    expect(
      typed,
      'delete these from web/src/api/pending-contract.ts: the generated types cover them',
    ).toEqual([]);
  });
});

/** Whether every operation of a path has its path parameters and a typed success response in the document. */
function fullyTyped(doc: OpenAPI3, path: string): boolean {
  const item = doc.paths?.[path] as
    | Record<string, { parameters?: { in: string }[]; responses?: Record<string, { content?: unknown }> }>
    | undefined;
  if (!item) return false;
  const needsParams = path.includes('{');
  const ops = ['get', 'post', 'put', 'patch', 'delete'].map((m) => item[m]).filter((o) => o !== undefined);
  return ops.every((op) => {
    const params = (op.parameters ?? []).some((p) => p.in === 'path');
    const success = Object.entries(op.responses ?? {}).some(
      ([code, r]) => /^2\d\d$/.test(code) && (r.content || code === '204'),
    );
    return (!needsParams || params) && success;
  });
}
