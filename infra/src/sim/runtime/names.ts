/** The alphabet Kubernetes uses for generated name suffixes and hashes (no vowels, no 0/1/3). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** A small seeded PRNG (mulberry32) so a cluster's generated names are reproducible in tests. */
export class Random {
  private state: number;

  constructor(seed: string | number) {
    this.state = typeof seed === 'number' ? seed >>> 0 : fnv32a(seed);
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** `n` characters as `generateName` appends them (e.g. `web-7c5ddbdf54-x2k9p`). */
  suffix(n = 5): string {
    let s = '';
    for (let i = 0; i < n; i++) s += ALPHANUMS[Math.floor(this.next() * ALPHANUMS.length)];
    return s;
  }

  /** `n` lowercase hex characters (container and sandbox IDs). */
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(this.next() * 16).toString(16);
    return s;
  }
}

/** FNV-1a 32-bit, the hash the Deployment controller uses for pod-template-hash. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString over the hash's decimal digits (each byte mapped into the vowel-free alphabet). */
export function safeEncode(n: number): string {
  let out = '';
  for (const ch of String(n)) out += ALPHANUMS[ch.charCodeAt(0) % ALPHANUMS.length];
  return out;
}

/** A stable JSON string (sorted keys), so equal templates hash equally. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash of a pod template, as the `pod-template-hash` / `controller-revision-hash` label shows it. */
export function templateHash(template: unknown, collisionCount = 0): string {
  return safeEncode(fnv32a(stableStringify(template) + (collisionCount ? String(collisionCount) : '')));
}

/** RFC 3339 with seconds, as Kubernetes timestamps are written. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}
