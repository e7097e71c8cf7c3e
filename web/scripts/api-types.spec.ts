import { readFileSync } from 'node:fs';
import type { OpenAPI3 } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  }, 60_000);
});
