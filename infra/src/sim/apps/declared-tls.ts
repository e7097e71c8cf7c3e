import type { AppInstance } from './app-model';
import type { DeclaredTls } from './image-catalog';

/**
 * Marks the sockets an image serves TLS on (its catalog row's or lab declaration's `tls`): each
 * listener on such a port presents the certificate file as mounted in the container (empty when the
 * file is missing, so every handshake fails). Returns the same instance.
 */
export function withDeclaredTls(
  instance: AppInstance,
  tls: readonly DeclaredTls[] | undefined,
  files: Record<string, string> | undefined,
): AppInstance {
  for (const t of tls ?? []) {
    for (const l of instance.listeners) {
      if (l.port !== t.port || l.protocol !== 'TCP') continue;
      l.tls = {
        chainPem: files?.[t.certificate] ?? '',
        plainHttp: t.plainHttp === 'go-400' ? 'go' : 'close',
      };
    }
  }
  return instance;
}
