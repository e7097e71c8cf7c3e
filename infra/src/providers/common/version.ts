/** The first `vX.Y.Z` (or `X.Y.Z`) in a tool's version output, e.g. "kind v0.24.0 go1.22.6 linux/amd64" → "0.24.0". */
export function parseVersion(output: string): string | undefined {
  const m = /\bv?(\d+)\.(\d+)\.(\d+)/.exec(output);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : undefined;
}

/** Compares two "X.Y.Z" versions: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
