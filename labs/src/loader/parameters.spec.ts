import { describe, expect, it } from 'vitest';
import type { Parameter } from '../schema';
import { drawParameters } from './parameters';

const params: Parameter[] = [
  { name: 'app', type: 'choice', values: ['web', 'shop', 'store'] },
  { name: 'port', type: 'int', min: 8000, max: 8999 },
  { name: 'suffix', type: 'token', length: 5, alphabet: 'abcdefghijklmnopqrstuvwxyz0123456789', prefix: 'x' },
];

describe(drawParameters.name, () => {
  it('should give the same values for the same seed', () => {
    expect(drawParameters(params, 'seed-1')).toEqual(drawParameters(params, 'seed-1'));
  });

  it('should give different values for different seeds', () => {
    const seen = new Set(
      Array.from({ length: 20 }, (_, i) => JSON.stringify(drawParameters(params, `s${i}`))),
    );
    expect(seen.size).toBeGreaterThan(15);
  });

  it('should keep every value in its declared range and alphabet', () => {
    for (let i = 0; i < 500; i++) {
      const v = drawParameters(params, `seed-${i}`);
      expect(['web', 'shop', 'store']).toContain(v.app);
      expect(v.port).toBeGreaterThanOrEqual(8000);
      expect(v.port).toBeLessThanOrEqual(8999);
      expect(v.suffix).toMatch(/^x[a-z0-9]{5}$/);
    }
  });

  it('should not change one parameter when another is added', () => {
    const before = drawParameters(params, 'seed');
    const after = drawParameters([{ name: 'extra', type: 'int', min: 1, max: 9 }, ...params], 'seed');
    expect(after).toMatchObject(before);
  });

  it('should reach every choice', () => {
    const picked = new Set(Array.from({ length: 60 }, (_, i) => drawParameters(params, `${i}`).app));
    expect(picked).toEqual(new Set(['web', 'shop', 'store']));
  });
});
