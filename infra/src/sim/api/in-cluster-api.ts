import type { InClusterApi } from '../dataplane/api-server-endpoint';
import type { ApiServer } from './api-server';
import { prettyForClient } from './auth/in-cluster-gate';

/** Headers of the in-memory connection that are not the API server's own (framing of that hop). */
const HOP_HEADERS = new Set(['connection', 'transfer-encoding', 'keep-alive']);

/**
 * Adapts the API server to the data plane: a request a Pod sent to kube-apiserver's socket is
 * served in memory by the API server's in-cluster path, and its JSON indented as kube-apiserver
 * does for curl and wget.
 */
export function inClusterApi(server: ApiServer): InClusterApi {
  return async (request) => {
    const answer = await server.serveInCluster({
      method: request.method,
      path: request.path,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      client: request.client,
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(answer.headers)) if (!HOP_HEADERS.has(k)) headers[k] = v;
    const body = prettyForClient(
      request.path,
      request.headers['user-agent'],
      headers['content-type'],
      request.method === 'HEAD' ? '' : answer.body,
    );
    if (request.method !== 'HEAD' && headers['content-length'] !== undefined)
      headers['content-length'] = String(Buffer.byteLength(body));
    return { status: answer.status, statusText: answer.statusText, headers, body };
  };
}
