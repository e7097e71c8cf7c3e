/** CoreDNS plugins (the directives a Corefile server block may use), from CoreDNS's plugin.cfg. */
const PLUGINS = new Set([
  'acl',
  'any',
  'auto',
  'autopath',
  'bind',
  'bufsize',
  'cache',
  'cancel',
  'chaos',
  'debug',
  'dns64',
  'dnssec',
  'dnstap',
  'erratic',
  'errors',
  'file',
  'forward',
  'geoip',
  'grpc',
  'header',
  'health',
  'hosts',
  'k8s_external',
  'kubernetes',
  'loadbalance',
  'local',
  'log',
  'loop',
  'metadata',
  'minimal',
  'nsid',
  'pprof',
  'prometheus',
  'ready',
  'reload',
  'rewrite',
  'root',
  'route53',
  'secondary',
  'sign',
  'template',
  'timeouts',
  'tls',
  'trace',
  'transfer',
  'tsig',
  'view',
  'whoami',
]);

/** What the sim takes from a Corefile: whether it parses, and the plugins that change behaviour. */
export type CorefileConfig = { ok: true; log: boolean } | { ok: false; error: string };

/**
 * Parses a Corefile as CoreDNS does at start and on reload, far enough to find an unknown
 * directive or unbalanced braces (worded as CoreDNS words them) and whether `log` is on.
 */
export function parseCorefile(text: string, path = '/etc/coredns/Corefile'): CorefileConfig {
  let depth = 0;
  let log = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/#.*/, '').trim();
    if (!line) continue;
    const word = line.split(/\s+/)[0]!;
    if (depth === 1 && word !== '}' && !PLUGINS.has(word)) {
      return { ok: false, error: `${path}:${i + 1} - Error during parsing: Unknown directive '${word}'` };
    }
    if (depth === 1 && word === 'log') log = true;
    for (const ch of line) {
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
      if (depth < 0)
        return {
          ok: false,
          error: `${path}:${i + 1} - Error during parsing: Unexpected '}' because no matching opening brace`,
        };
    }
  }
  if (depth !== 0)
    return {
      ok: false,
      error: `${path}:${text.trimEnd().split('\n').length} - Error during parsing: Unexpected EOF`,
    };
  return { ok: true, log };
}
