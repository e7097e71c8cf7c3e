/** What a curl command line asks for. */
export interface CurlOptions {
  urls: string[];
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  head: boolean;
  include: boolean;
  output?: string;
  remoteName: boolean;
  writeOut?: string;
  maxTimeMs?: number;
  connectTimeoutMs?: number;
  method?: string;
  headers: string[];
  data: string[];
  location: boolean;
  fail: boolean;
  userAgent: string;
  version: boolean;
  help: boolean;
  /** `-k`: no certificate or host name verification. */
  insecure: boolean;
  /** `--cacert FILE`: the CA bundle to verify the server against. */
  cacert?: string;
  /** `--resolve HOST:PORT:ADDR`, as given. */
  resolve: string[];
}

/** A command line curl rejects, with its exit code (2) and message. */
export class CurlUsageError extends Error {}

type Setter = (o: CurlOptions, value: string, flag: string) => void;

const FLAGS: Record<string, (o: CurlOptions) => void> = {
  s: (o) => (o.silent = true),
  S: (o) => (o.showError = true),
  v: (o) => (o.verbose = true),
  I: (o) => (o.head = true),
  i: (o) => (o.include = true),
  O: (o) => (o.remoteName = true),
  L: (o) => (o.location = true),
  f: (o) => (o.fail = true),
  k: (o) => (o.insecure = true),
  '4': () => undefined,
  N: () => undefined,
  q: () => undefined,
  V: (o) => (o.version = true),
  h: (o) => (o.help = true),
};

const WITH_VALUE: Record<string, Setter> = {
  o: (o, v) => (o.output = v),
  w: (o, v) => (o.writeOut = v),
  m: (o, v, f) => (o.maxTimeMs = seconds(v, f)),
  X: (o, v) => (o.method = v),
  H: (o, v) => o.headers.push(v),
  d: (o, v) => o.data.push(v),
  A: (o, v) => (o.userAgent = v),
  u: () => undefined,
  e: () => undefined,
  x: () => undefined,
};

const LONG: Record<string, string | Setter> = {
  silent: 's',
  'show-error': 'S',
  verbose: 'v',
  head: 'I',
  include: 'i',
  'remote-name': 'O',
  location: 'L',
  fail: 'f',
  'fail-with-body': 'f',
  insecure: 'k',
  ipv4: '4',
  'no-buffer': 'N',
  version: 'V',
  help: 'h',
  output: 'o',
  'write-out': 'w',
  'max-time': 'm',
  request: 'X',
  header: 'H',
  data: 'd',
  'data-raw': 'd',
  'data-binary': 'd',
  'data-ascii': 'd',
  'user-agent': 'A',
  user: 'u',
  referer: 'e',
  proxy: 'x',
  'connect-timeout': (o, v, f) => (o.connectTimeoutMs = seconds(v, f)),
  retry: () => undefined,
  'retry-delay': () => undefined,
  resolve: (o, v) => o.resolve.push(v),
  cacert: (o, v) => (o.cacert = v),
  url: (o, v) => o.urls.push(v),
};

/** Long flags without a value that change nothing the sim shows (TLS, HTTP version, buffering). */
const LONG_NO_EFFECT = new Set(['http1.1', 'http1.0', 'http2', 'compressed', 'no-keepalive', 'tcp-nodelay']);

/** Parses curl's arguments (bundled short flags, attached values, long options). */
export function parseCurlArgs(args: string[]): CurlOptions & { noProgressMeter: boolean } {
  const o: CurlOptions & { noProgressMeter: boolean } = {
    urls: [],
    silent: false,
    showError: false,
    verbose: false,
    head: false,
    include: false,
    remoteName: false,
    headers: [],
    data: [],
    location: false,
    fail: false,
    userAgent: 'curl/8.5.0',
    version: false,
    help: false,
    insecure: false,
    resolve: [],
    noProgressMeter: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = (flag: string): string => {
      const v = args[++i];
      if (v === undefined) throw new CurlUsageError(`option ${flag}: requires parameter`);
      return v;
    };
    if (arg.startsWith('--') && arg.length > 2) {
      const name = arg.slice(2);
      if (name === 'no-progress-meter') o.noProgressMeter = true;
      else if (!LONG_NO_EFFECT.has(name)) {
        const entry = LONG[name];
        if (entry === undefined) throw new CurlUsageError(`option ${arg}: is unknown`);
        if (typeof entry !== 'string') entry(o, next(arg), arg);
        else if (FLAGS[entry]) FLAGS[entry](o);
        else WITH_VALUE[entry]!(o, next(arg), arg);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j]!;
        if (FLAGS[c]) {
          FLAGS[c](o);
          continue;
        }
        const setter = WITH_VALUE[c];
        if (!setter) throw new CurlUsageError(`option -${arg.slice(j)}: is unknown`);
        const attached = arg.slice(j + 1);
        setter(o, attached !== '' ? attached : next(`-${c}`), `-${c}`);
        break;
      }
      continue;
    }
    o.urls.push(arg);
  }
  return o;
}

function seconds(value: string, flag: string): number {
  if (!/^\d+(\.\d+)?$/.test(value))
    throw new CurlUsageError(`option ${flag}: expected a proper numerical parameter`);
  return Math.round(Number(value) * 1000);
}
