/** curl's progress meter header, printed to stderr when the body does not go to a terminal. */
export const METER_HEADER =
  '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' +
  '                                 Dload  Upload   Total   Spent    Left  Speed\n';

/** One progress meter line (without the leading `\r`), as curl 8 prints it. */
export function meterLine(bytes: number, elapsedMs: number, done: boolean): string {
  const pct = done && bytes >= 0 ? 100 : 0;
  const speed = done ? Math.round((bytes * 1000) / Math.max(elapsedMs, 1)) : 0;
  const spent = elapsedMs >= 1000 ? clock(elapsedMs) : '--:--:--';
  return (
    `${pad(pct, 3)} ${size(bytes)}  ${pad(pct, 3)} ${size(bytes)}    0     0  ` +
    `${size(speed)}      0 --:--:-- ${spent} --:--:-- ${size(done ? speed : 0)}`
  );
}

function pad(n: number, width: number): string {
  return String(n).padStart(width);
}

/** curl's five-character size: `  612`, ` 597k`, `  12M`. */
function size(n: number): string {
  if (n < 100_000) return pad(n, 5);
  if (n < 10_000 * 1024) return `${Math.floor(n / 1024)}k`.padStart(5);
  return `${Math.floor(n / 1024 / 1024)}M`.padStart(5);
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`.padStart(
    8,
  );
}

/** The values `-w` can print. */
export interface WriteOutValues {
  http_code: string;
  time_total: number;
  remote_ip: string;
  remote_port: string;
  size_download: number;
  url_effective: string;
  exitcode: number;
  errormsg: string;
  content_type: string;
  num_redirects: number;
  method: string;
}

/** Renders a `-w` format: `%{var}`, `%%` and the `\n`, `\t`, `\r` escapes. */
export function renderWriteOut(format: string, v: WriteOutValues): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(6);
  const values: Record<string, string> = {
    http_code: v.http_code,
    response_code: v.http_code,
    time_total: seconds(v.time_total),
    time_connect: seconds(v.time_total),
    time_namelookup: seconds(0),
    time_starttransfer: seconds(v.time_total),
    remote_ip: v.remote_ip,
    remote_port: v.remote_port,
    size_download: String(v.size_download),
    url_effective: v.url_effective,
    url: v.url_effective,
    exitcode: String(v.exitcode),
    errormsg: v.errormsg,
    content_type: v.content_type,
    num_redirects: String(v.num_redirects),
    method: v.method,
  };
  return format.replace(/%\{([a-z_]+)\}|%%|\\[ntr\\]/g, (m, name: string | undefined) => {
    if (name !== undefined) return values[name] ?? '';
    if (m === '%%') return '%';
    return { '\\n': '\n', '\\t': '\t', '\\r': '\r', '\\\\': '\\' }[m] ?? m;
  });
}
