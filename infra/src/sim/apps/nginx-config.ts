import { parseListenAddress, type AppListener } from './app-model';

/** One `location` of a server block, reduced to what the sim answers: a `return` or static files. */
export interface NginxLocation {
  modifier: '' | '=' | '~' | '~*' | '^~';
  path: string;
  returns?: { status: number; text?: string };
}

/** One `server { ... }` block. */
export interface NginxServer {
  listeners: AppListener[];
  locations: NginxLocation[];
  root: string;
  /** Ports whose `listen` has the `ssl` flag: TLS is spoken there. */
  sslPorts: number[];
  /** `ssl_certificate` and `ssl_certificate_key`, when set. */
  certificate?: string;
  certificateKey?: string;
}

const CONF_DIR = '/etc/nginx/conf.d/';
const MAIN_CONF = '/etc/nginx/nginx.conf';

/** The packaged default.conf: listen 80 (and [::]:80), root /usr/share/nginx/html. */
export function defaultNginxServers(port: number): NginxServer[] {
  return [
    {
      listeners: [
        { address: '0.0.0.0', port, protocol: 'TCP' },
        { address: '::', port, protocol: 'TCP' },
      ],
      locations: [],
      root: '/usr/share/nginx/html',
      sslPorts: [],
    },
  ];
}

/** Whether a ConfigMap/Secret mount replaced nginx's configuration. */
export function hasCustomNginxConfig(files: Record<string, string>): boolean {
  return Object.keys(files).some((f) => f === MAIN_CONF || (f.startsWith(CONF_DIR) && f.endsWith('.conf')));
}

/** The server blocks of the mounted configuration (conf.d/*.conf, or a whole nginx.conf). */
export function parseNginxServers(files: Record<string, string>): NginxServer[] {
  const texts = Object.entries(files)
    .filter(([f]) => f === MAIN_CONF || (f.startsWith(CONF_DIR) && f.endsWith('.conf')))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, t]) => t.replace(/#[^\n]*/g, ''));
  const servers: NginxServer[] = [];
  for (const text of texts) for (const block of blocks(text, 'server')) servers.push(parseServer(block));
  return servers;
}

function parseServer(body: string): NginxServer {
  const listeners: AppListener[] = [];
  const locations: NginxLocation[] = [];
  const sslPorts: number[] = [];
  for (const m of body.matchAll(/(?:^|[;{}\s])listen\s+([^;]+);/g)) {
    const [addr = '80', ...flags] = m[1]!.trim().split(/\s+/);
    const v6 = /^\[(.*)\]:(\d+)$/.exec(addr) ?? /^\[(.*)\]$/.exec(addr);
    const parsed = v6
      ? { address: v6[1] === '' || v6[1] === '::' ? '::' : v6[1]!, port: Number(v6[2] ?? 80) }
      : parseListenAddress(/^\d+$/.test(addr) || addr.includes(':') ? addr : `${addr}:80`, 80);
    const protocol = flags.includes('udp') ? 'UDP' : 'TCP';
    listeners.push({ address: parsed.address, port: parsed.port, protocol });
    if (flags.includes('ssl')) sslPorts.push(parsed.port);
  }
  if (listeners.length === 0) listeners.push({ address: '0.0.0.0', port: 80, protocol: 'TCP' });
  for (const m of body.matchAll(/location\s+(=|~\*|~|\^~)?\s*([^\s{]+)\s*\{([^{}]*)\}/g)) {
    const ret = /return\s+(\d{3})(?:\s+(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^;\s]+)))?\s*;/.exec(m[3]!);
    locations.push({
      modifier: (m[1] ?? '') as NginxLocation['modifier'],
      path: m[2]!,
      ...(ret
        ? {
            returns: {
              status: Number(ret[1]),
              ...((ret[2] ?? ret[3] ?? ret[4])
                ? { text: (ret[2] ?? ret[3] ?? ret[4])!.replace(/\\n/g, '\n') }
                : {}),
            },
          }
        : {}),
    });
  }
  const root = /(?:^|[;{}\s])root\s+([^;]+);/.exec(body)?.[1]?.trim() ?? '/usr/share/nginx/html';
  const certificate = /(?:^|[;{}\s])ssl_certificate\s+([^;]+);/.exec(body)?.[1]?.trim();
  const certificateKey = /(?:^|[;{}\s])ssl_certificate_key\s+([^;]+);/.exec(body)?.[1]?.trim();
  return {
    listeners,
    locations,
    root,
    sslPorts,
    ...(certificate ? { certificate } : {}),
    ...(certificateKey ? { certificateKey } : {}),
  };
}

/** The location nginx picks for a path: exact, then longest prefix (regexes first when they match). */
export function matchLocation(server: NginxServer, path: string): NginxLocation | undefined {
  const exact = server.locations.find((l) => l.modifier === '=' && l.path === path);
  if (exact) return exact;
  const prefixes = server.locations
    .filter((l) => (l.modifier === '' || l.modifier === '^~') && path.startsWith(l.path))
    .sort((a, b) => b.path.length - a.path.length);
  if (prefixes[0]?.modifier === '^~') return prefixes[0];
  for (const l of server.locations) {
    if (l.modifier !== '~' && l.modifier !== '~*') continue;
    try {
      if (new RegExp(l.path, l.modifier === '~*' ? 'i' : '').test(path)) return l;
    } catch {
      // An invalid regex never matches (nginx would have refused to start).
    }
  }
  return prefixes[0];
}

/** The `{ ... }` bodies of every `name { ... }` block at any depth (balanced braces). */
function blocks(text: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`(?:^|[\\s;{}])${name}\\s*\\{`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
    }
    out.push(text.slice(start, i - 1));
    re.lastIndex = i;
  }
  return out;
}
