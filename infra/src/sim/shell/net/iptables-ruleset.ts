/** One `-m` match of a rule, in the order the writer gave it. */
export type IptMatch =
  | { kind: 'comment'; text: string }
  | { kind: 'port'; proto: 'tcp' | 'udp' | 'sctp'; dport?: number; sport?: number }
  | { kind: 'statistic'; probability: number }
  | { kind: 'addrtype'; side: 'src' | 'dst'; type: string; invert?: boolean }
  | { kind: 'mark'; mark: string; invert?: boolean }
  | { kind: 'conntrack'; states: string; invert?: boolean }
  | { kind: 'recent'; mode: 'set' | 'rcheck'; name: string; seconds?: number };

/** Where a rule sends a packet: a chain, or a built-in target with its arguments. */
export type IptTarget =
  | { kind: 'jump'; chain: string }
  | { kind: 'verdict'; verdict: 'ACCEPT' | 'DROP' | 'RETURN' }
  | { kind: 'mark'; xmark: string }
  | { kind: 'dnat'; to: string }
  | { kind: 'snat'; to: string }
  | { kind: 'masquerade'; randomFully?: boolean }
  | { kind: 'reject'; with: string };

/** One rule of a chain, as iptables stores it. */
export interface IptRule {
  source?: string;
  sourceInvert?: boolean;
  destination?: string;
  proto?: 'tcp' | 'udp' | 'sctp';
  matches: IptMatch[];
  target: IptTarget;
}

/** A chain: built-in ones have a policy, user chains do not. */
export interface IptChain {
  name: string;
  policy?: 'ACCEPT' | 'DROP';
  rules: IptRule[];
}

/** A table (`nat`, `filter`, ...) with its chains in the order iptables-save lists them. */
export interface IptTable {
  name: string;
  chains: IptChain[];
}

const BUILTIN: Record<string, string[]> = {
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
};

/** Collects rules chain by chain; `table()` lists built-in chains first, then user chains sorted. */
export class TableBuilder {
  private readonly chains = new Map<string, IptChain>();

  constructor(private readonly name: string) {
    for (const c of BUILTIN[name] ?? []) this.chains.set(c, { name: c, policy: 'ACCEPT', rules: [] });
  }

  /** Declares a chain (`:NAME - [0:0]`) even when it stays empty. */
  chain(name: string): this {
    if (!this.chains.has(name)) this.chains.set(name, { name, rules: [] });
    return this;
  }

  /** Appends a rule (`-A chain ...`), declaring the chain if needed. */
  add(chain: string, rule: Omit<IptRule, 'matches'> & { matches?: IptMatch[] }): this {
    this.chain(chain);
    this.chains.get(chain)!.rules.push({ matches: [], ...rule });
    return this;
  }

  table(): IptTable {
    const builtins = BUILTIN[this.name] ?? [];
    const user = [...this.chains.values()]
      .filter((c) => !builtins.includes(c.name))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { name: this.name, chains: [...builtins.map((b) => this.chains.get(b)!), ...user] };
  }
}

/** The probability iptables stores (a 31-bit fixed point) and prints back, with 11 decimals. */
export function storedProbability(p: number): string {
  return (Math.round(p * 0x80000000) / 0x80000000).toFixed(11);
}

const cidr = (a: string) => (a.includes('/') ? a : a.includes(':') ? `${a}/128` : `${a}/32`);

function saveMatch(m: IptMatch): string {
  switch (m.kind) {
    case 'comment':
      // xtables_save_string: only [A-Za-z0-9_-] goes unquoted.
      return `-m comment --comment ${/^[\w-]+$/.test(m.text) ? m.text : `"${m.text}"`}`;
    case 'port':
      return `-m ${m.proto}${m.sport !== undefined ? ` --sport ${m.sport}` : ''}${m.dport !== undefined ? ` --dport ${m.dport}` : ''}`;
    case 'statistic':
      return `-m statistic --mode random --probability ${storedProbability(m.probability)}`;
    case 'addrtype':
      return `-m addrtype ${m.invert ? '! ' : ''}--${m.side}-type ${m.type}`;
    case 'mark':
      return `-m mark ${m.invert ? '! ' : ''}--mark ${m.mark}`;
    case 'conntrack':
      return `-m conntrack ${m.invert ? '! ' : ''}--ctstate ${m.states}`;
    case 'recent':
      return m.mode === 'set'
        ? `-m recent --set --name ${m.name} --mask 255.255.255.255 --rsource`
        : `-m recent --rcheck --seconds ${m.seconds ?? 10800} --reap --name ${m.name} --mask 255.255.255.255 --rsource`;
  }
}

function saveTarget(t: IptTarget): string {
  switch (t.kind) {
    case 'jump':
      return `-j ${t.chain}`;
    case 'verdict':
      return `-j ${t.verdict}`;
    case 'mark':
      return `-j MARK --set-xmark ${t.xmark}`;
    case 'dnat':
      return `-j DNAT --to-destination ${t.to}`;
    case 'snat':
      return `-j SNAT --to-source ${t.to}`;
    case 'masquerade':
      return `-j MASQUERADE${t.randomFully ? ' --random-fully' : ''}`;
    case 'reject':
      return `-j REJECT --reject-with ${t.with}`;
  }
}

/** One rule as `iptables-save` and `iptables -S` print it. */
export function saveRule(chain: string, r: IptRule): string {
  const parts = [`-A ${chain}`];
  if (r.source) parts.push(`${r.sourceInvert ? '! ' : ''}-s ${cidr(r.source)}`);
  if (r.destination) parts.push(`-d ${cidr(r.destination)}`);
  if (r.proto) parts.push(`-p ${r.proto}`);
  for (const m of r.matches) parts.push(saveMatch(m));
  parts.push(saveTarget(r.target));
  return parts.join(' ');
}

/** A table in `iptables-save` layout (without the Generated/Completed comments). */
export function saveTable(t: IptTable): string[] {
  return [
    `*${t.name}`,
    ...t.chains.map((c) => `:${c.name} ${c.policy ?? '-'} [0:0]`),
    ...t.chains.flatMap((c) => c.rules.map((r) => saveRule(c.name, r))),
    'COMMIT',
  ];
}

/** How many rules jump to `chain` (the `(N references)` of `iptables -L`). */
export function references(t: IptTable, chain: string): number {
  let n = 0;
  for (const c of t.chains)
    for (const r of c.rules) if (r.target.kind === 'jump' && r.target.chain === chain) n++;
  return n;
}

const SERVICES: Record<number, string> = {
  22: 'ssh',
  53: 'domain',
  80: 'http',
  443: 'https',
  8080: 'http-alt',
};

function listMatch(m: IptMatch, numeric: boolean): string {
  const port = (p: number) => (numeric ? String(p) : (SERVICES[p] ?? String(p)));
  switch (m.kind) {
    case 'comment':
      return `/* ${m.text} */`;
    case 'port':
      return [
        m.proto,
        ...(m.sport !== undefined ? [`spt:${port(m.sport)}`] : []),
        ...(m.dport !== undefined ? [`dpt:${port(m.dport)}`] : []),
      ].join(' ');
    case 'statistic':
      return `statistic mode random probability ${storedProbability(m.probability)}`;
    case 'addrtype':
      return `ADDRTYPE match ${m.side}-type ${m.invert ? '!' : ''}${m.type}`;
    case 'mark':
      return `mark match ${m.invert ? '! ' : ''}${m.mark}`;
    case 'conntrack':
      return `ctstate ${m.invert ? '! ' : ''}${m.states}`;
    case 'recent':
      return m.mode === 'set'
        ? `recent: SET name: ${m.name} side: source mask: 255.255.255.255`
        : `recent: CHECK seconds: ${m.seconds ?? 10800} reap name: ${m.name} side: source mask: 255.255.255.255`;
  }
}

function listTarget(t: IptTarget): { name: string; extra?: string } {
  switch (t.kind) {
    case 'jump':
      return { name: t.chain };
    case 'verdict':
      return { name: t.verdict };
    case 'mark': {
      const [value, mask] = t.xmark.split('/');
      return { name: 'MARK', extra: mask === '0x0' ? `MARK xor ${value}` : `MARK or ${value}` };
    }
    case 'dnat':
      return { name: 'DNAT', extra: `to:${t.to}` };
    case 'snat':
      return { name: 'SNAT', extra: `to:${t.to}` };
    case 'masquerade':
      return { name: 'MASQUERADE', ...(t.randomFully ? { extra: 'random-fully' } : {}) };
    case 'reject':
      return { name: 'REJECT', extra: `reject-with ${t.with}` };
  }
}

/** One chain in `iptables -L [-n]` layout: header, column titles, one line per rule. */
export function listChain(t: IptTable, c: IptChain, numeric: boolean): string[] {
  const header = c.policy
    ? `Chain ${c.name} (policy ${c.policy})`
    : `Chain ${c.name} (${references(t, c.name)} references)`;
  const addr = (a: string | undefined) =>
    !a || a === '0.0.0.0/0' ? (numeric ? '0.0.0.0/0' : 'anywhere') : a.replace(/\/32$/, '');
  const lines = [header, 'target     prot opt source               destination         '];
  for (const r of c.rules) {
    const target = listTarget(r.target);
    const src = `${r.sourceInvert ? '!' : ' '}${addr(r.source).padEnd(19)} `;
    const tail = [...r.matches.map((m) => listMatch(m, numeric)), ...(target.extra ? [target.extra] : [])];
    lines.push(
      // No trimming: iptables pads the destination column even when no match follows.
      `${target.name.padEnd(9)}  ${(r.proto ?? 'all').padEnd(4)} -- ${src} ${addr(r.destination).padEnd(19)} ${tail.map((x) => ` ${x}`).join('')}`,
    );
  }
  return lines;
}
