import type { ClusterProvider } from '@netlab/infra';
import type { Response } from 'express';
import { describe, expect, it } from 'vitest';
import type { DatabaseService } from '../database/database.service';
import { HealthController } from './health.controller';

function response() {
  const res = { statusCode: 0, status: (code: number) => ((res.statusCode = code), res) };
  return res;
}
const db = (ping: () => Promise<void>) => ({ ping }) as unknown as DatabaseService;
const provider = (list: () => Promise<unknown[]>) => ({ list }) as unknown as ClusterProvider;

describe(HealthController.name, () => {
  it('should answer 503 naming the dependency that failed and why', async () => {
    const sut = new HealthController(
      db(async () => {}),
      provider(async () => {
        throw new Error('kind is not installed');
      }),
    );
    const res = response();
    expect(await sut.ready(res as unknown as Response)).toEqual({
      status: 'unavailable',
      checks: { database: 'ok', provider: 'kind is not installed' },
    });
    expect(res.statusCode).toBe(503);
  });

  it('should answer 200 when both answer', async () => {
    const sut = new HealthController(
      db(async () => {}),
      provider(async () => []),
    );
    const res = response();
    expect(await sut.ready(res as unknown as Response)).toMatchObject({ status: 'ok' });
    expect(res.statusCode).toBe(200);
  });
});
