import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { Listener } from '../netmodel';

/**
 * What an app really listens on, read from its image and arguments where they say so. A declared
 * containerPort is documentation, not a socket: `http-echo -listen=127.0.0.1:8080` declares 8080 and
 * refuses every connection to the pod IP. These are the images labs use (ARCHITECTURE.md §5).
 */
export function listenerHints(pods: V1Pod[]): Listener[] {
  const hints: Listener[] = [];
  for (const pod of pods) {
    const namespace = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    for (const container of pod.spec?.containers ?? []) {
      for (const { address, port } of appListeners(container)) {
        hints.push({ namespace, pod: name, container: container.name, address, port, protocol: 'TCP' });
      }
    }
  }
  return hints;
}

/** The sockets one container opens, when its image and args tell; empty when unknown. */
export function appListeners(container: V1Container): { address: string; port: number }[] {
  const image = container.image ?? '';
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  if (/(^|\/)http-echo(:|@|$)/.test(image)) {
    const listen = flagValue(argv, ['-listen', '--listen']) ?? ':5678';
    const parsed = hostPort(listen);
    return parsed ? [parsed] : [];
  }
  if (/(^|\/)python(:|@|$)/.test(image) && argv.includes('http.server')) {
    const after = argv.slice(argv.indexOf('http.server') + 1);
    const address = flagValue(after, ['--bind', '-b']) ?? '0.0.0.0';
    const port = Number(
      after.find(
        (a, i) => /^\d+$/.test(a) && !['--bind', '-b', '-d', '--directory'].includes(after[i - 1] ?? ''),
      ) ?? 8000,
    );
    return [{ address, port }];
  }
  if (/agnhost(:|@|$)/.test(image) && argv.includes('netexec')) {
    return [{ address: '0.0.0.0', port: Number(flagValue(argv, ['--http-port']) ?? 8080) }];
  }
  return [];
}

function flagValue(argv: string[], names: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    for (const name of names) {
      if (arg === name) return argv[i + 1];
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    }
  }
  return undefined;
}

function hostPort(text: string): { address: string; port: number } | undefined {
  const m = /^(?:\[?([^\]]*)\]?)?:(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const host = m[1] ?? '';
  const address = host === '' ? '0.0.0.0' : host === 'localhost' ? '127.0.0.1' : host;
  return { address, port: Number(m[2]) };
}
