import { KubernetesObjectApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { connectedApiClient } from './client-node-api';
import { ClusterConnection, type ClientConnectionOptions } from './cluster-connection';
import { missingApi } from './missing-api';

/** A failed API call, shaped like client-node's ApiException (`code` is the HTTP status). */
export class RawApiError extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
  ) {
    super(`HTTP ${code}: ${body.slice(0, 200)}`);
    this.name = 'RawApiError';
  }
}

/** Object writes and reads, on plain JSON objects exactly as a manifest has them. */
export interface ObjectApi {
  create(object: KubernetesObject): Promise<KubernetesObject>;
  read(header: KubernetesObject): Promise<KubernetesObject>;
  replace(object: KubernetesObject): Promise<KubernetesObject>;
  patch(header: KubernetesObject, body: unknown, contentType: string): Promise<KubernetesObject>;
  delete(header: KubernetesObject): Promise<void>;
  /** The objects of the header's kind (in its namespace, if any) that a label selector picks. */
  list?(header: KubernetesObject, labelSelector: string): Promise<KubernetesObject[]>;
}

type PathResolver = { specUriPath(spec: KubernetesObject, action: string): Promise<string> };

/**
 * Sends objects to the API as they are written. client-node's KubernetesObjectApi serialises
 * through its generated models, which silently drop fields whose JSON name differs from the
 * model's (a NetworkPolicy rule's `from` is `_from` there); here only its URL lookup (discovery)
 * is used and the body goes out untouched. Requests share keep-alive connections and each has a
 * deadline (see {@link ClusterConnection}); {@link dispose} closes them.
 */
export class RawObjectApi implements ObjectApi {
  private readonly paths: PathResolver;
  private readonly connection: ClusterConnection;
  private readonly ownsConnection: boolean;

  constructor(kc: KubeConfig, options: ClientConnectionOptions = {}) {
    this.connection = options.connection ?? new ClusterConnection(kc, options);
    this.ownsConnection = !options.connection;
    const objects = connectedApiClient(
      kc,
      this.connection,
      KubernetesObjectApi,
    ) as unknown as PathResolver & {
      setDefaultNamespace(kc: KubeConfig): string; // what KubernetesObjectApi.makeApiClient does
    };
    objects.setDefaultNamespace(kc);
    this.paths = objects;
  }

  /** Closes its connections (unless they were given to it). */
  dispose(): void {
    if (this.ownsConnection) this.connection.dispose();
  }

  async create(object: KubernetesObject): Promise<KubernetesObject> {
    const path = await this.pathOf(object, 'create');
    return this.send('POST', `${path}?fieldManager=netlab`, object);
  }

  async read(header: KubernetesObject): Promise<KubernetesObject> {
    return this.send('GET', await this.pathOf(header, 'read'));
  }

  async replace(object: KubernetesObject): Promise<KubernetesObject> {
    const path = await this.pathOf(object, 'replace');
    return this.send('PUT', `${path}?fieldManager=netlab`, object);
  }

  async patch(header: KubernetesObject, body: unknown, contentType: string): Promise<KubernetesObject> {
    const path = await this.pathOf(header, 'patch');
    return this.send('PATCH', `${path}?fieldManager=netlab`, body, contentType);
  }

  async delete(header: KubernetesObject): Promise<void> {
    const path = await this.pathOf(header, 'delete');
    await this.send('DELETE', path, {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Background',
    });
  }

  async list(header: KubernetesObject, labelSelector: string): Promise<KubernetesObject[]> {
    const path = await this.pathOf(header, 'list');
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    const list = (await this.send('GET', `${path}${query}`)) as { items?: KubernetesObject[] };
    return list.items ?? [];
  }

  /** GET of any API path (discovery, /version), as JSON. */
  async get(path: string): Promise<unknown> {
    return this.send('GET', path);
  }

  /**
   * The URL path for an object, found through discovery. A group/version or kind the cluster does
   * not serve is a GraderError API_NOT_SERVED naming it and the cluster's version.
   */
  private async pathOf(object: KubernetesObject, action: string): Promise<string> {
    try {
      return await this.paths.specUriPath(structuredClone(object), action);
    } catch (error) {
      const status = (error as { code?: unknown }).code;
      if (status === 404 || /^Unrecognized API version and kind/.test((error as Error).message)) {
        const version = (await this.get('/version').catch(() => undefined)) as
          { gitVersion?: string } | undefined;
        throw missingApi(object.apiVersion ?? 'v1', object.kind ?? '(no kind)', version?.gitVersion);
      }
      throw error;
    }
  }

  private async send(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<KubernetesObject> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const res = await this.connection.send({
      method,
      path,
      headers: payload
        ? { Accept: 'application/json', 'Content-Type': contentType }
        : { Accept: 'application/json' },
      body: payload,
    });
    const text = res.body.toString('utf8');
    if (res.status < 200 || res.status >= 300) throw new RawApiError(res.status, text);
    return text ? (JSON.parse(text) as KubernetesObject) : ({} as KubernetesObject);
  }
}
