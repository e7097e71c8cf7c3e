import {
  ResponseContext,
  ServerConfiguration,
  createConfiguration,
  wrapHttpLibrary,
  type Configuration,
  type KubeConfig,
  type RequestContext,
} from '@kubernetes/client-node';
import type { ClusterConnection } from './cluster-connection';

/**
 * A client-node API client (CoreV1Api, KubernetesObjectApi, ...) whose requests go through
 * `connection` (its keep-alive pool and deadline) instead of a new agent, and TLS handshake, each.
 */
export function connectedApiClient<T>(
  kc: KubeConfig,
  connection: ClusterConnection,
  type: new (configuration: Configuration) => T,
): T {
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(connection.server, {}),
    authMethods: { default: kc },
    httpApi: wrapHttpLibrary({ send: (context) => send(connection, context) }),
  });
  return new type(configuration);
}

async function send(connection: ClusterConnection, context: RequestContext): Promise<ResponseContext> {
  const body = context.getBody();
  if (body !== undefined && typeof body !== 'string' && !(body instanceof URLSearchParams))
    throw new Error(`a ${context.getHttpMethod()} ${context.getUrl()} body of form data is not supported`);
  const response = await connection.send({
    method: context.getHttpMethod(),
    path: context.getUrl(),
    headers: context.getHeaders(),
    body: body === undefined ? undefined : String(body),
    authenticated: true,
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return new ResponseContext(response.status, headers, {
    text: () => Promise.resolve(response.body.toString('utf8')),
    binary: () => Promise.resolve(response.body),
  });
}
