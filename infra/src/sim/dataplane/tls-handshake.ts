import type { ListenerTls } from '../apps/app-model';
import type { HttpRequest, TlsFailure } from '../shell/shell-host';

/**
 * What happens before any HTTP is exchanged when a client reaches a listener: an https client
 * meets a plain socket (`plain-server`: the reply to its ClientHello is not TLS), or a TLS server
 * whose certificate it rejects (`rejected`: it hangs up, so the app never sees the request); a
 * plain client reaching a Go TLS server gets Go's bare 400 (`go-400`), most other TLS servers
 * just hang up on it (`plain-client`). Undefined: go on.
 */
export function tlsGate(
  https: boolean,
  listener: ListenerTls | undefined,
  request: HttpRequest,
): TlsFailure | 'go-400' | undefined {
  if (https) {
    if (!listener) return 'plain-server';
    if (request.tls && !request.tls.accept({ chainPem: listener.chainPem })) return 'rejected';
    return undefined;
  }
  if (listener?.plainHttp === 'close') return 'plain-client';
  return listener?.plainHttp === 'go' ? 'go-400' : undefined;
}

/** Go net/http's answer to plain HTTP on a TLS port (it writes it raw, as HTTP/1.0, and closes). */
export const GO_PLAIN_HTTP_TO_TLS = {
  status: 400,
  statusText: 'Bad Request',
  headers: {},
  body: 'Client sent an HTTP request to an HTTPS server.\n',
};
