import { createHash } from 'node:crypto';
import type { Parameter } from '../schema';

/** The values of a lab's parameters for one attempt. */
export type ParameterValues = Record<string, string | number>;

/**
 * Draws every parameter from the seed. Each value depends only on the seed and the parameter's
 * name, so the same seed always gives the same lab and adding a parameter does not reshuffle the others.
 */
export function drawParameters(parameters: readonly Parameter[], seed: string): ParameterValues {
  const values: ParameterValues = {};
  for (const p of parameters) {
    const stream = randomStream(`${seed}\u0000${p.name}`);
    switch (p.type) {
      case 'choice':
        values[p.name] = p.values[stream.below(p.values.length)]!;
        break;
      case 'int':
        values[p.name] = p.min + stream.below(p.max - p.min + 1);
        break;
      case 'token': {
        let token = p.prefix;
        for (let i = 0; i < p.length; i++) token += p.alphabet[stream.below(p.alphabet.length)];
        values[p.name] = token;
        break;
      }
    }
  }
  return values;
}

/** Deterministic uniform integers from SHA-256 in counter mode. */
function randomStream(key: string) {
  let counter = 0;
  let pool: Buffer = Buffer.alloc(0);
  const nextUint32 = (): number => {
    if (pool.length < 4) {
      pool = createHash('sha256').update(`${key}\u0000${counter++}`).digest();
    }
    const n = pool.readUInt32BE(0);
    pool = pool.subarray(4);
    return n;
  };
  return {
    /** A uniform integer in [0, n), by rejection so no value is favoured. */
    below(n: number): number {
      if (n <= 1) return 0;
      const limit = Math.floor(0x1_0000_0000 / n) * n;
      for (;;) {
        const x = nextUint32();
        if (x < limit) return x % n;
      }
    },
  };
}
