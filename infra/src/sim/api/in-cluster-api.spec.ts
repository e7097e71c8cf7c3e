import { describe, expect, it } from 'vitest';
import type { AppHttpRequest } from '../apps/app-model';
import type { ApiServer } from './api-server';
import { inClusterApi } from './in-cluster-api';
import type { InMemoryRequest, InMemoryResponse } from './in-memory-http';

/** A strict fake of the one ApiServer method the adapter uses, answering `answer` and recording requests. */
function aServer(answer: InMemoryResponse) {
  const requests: InMemoryRequest[] = [];
  const server = {
    serveInCluster: (r: InMemoryRequest) => {
      requests.push(r);
      return Promise.resolve(answer);
    },
  } as unknown as ApiServer;
  return { server, requests };
}

function aRequest(overrides: Partial<AppHttpRequest> = {}): AppHttpRequest {
  return {
    method: 'GET',
    path: '/api',
    headers: { 'user-agent': 'curl/8.5.0', authorization: 'Bearer t' },
    client: { ip: '10.244.1.7', port: 40100 },
    local: { ip: '172.18.0.2', port: 6443 },
    tls: true,
    ...overrides,
  };
}

describe(inClusterApi.name, () => {
  it("should pass the pod's request on and indent the JSON answer for curl, fixing Content-Length", async () => {
    const { server, requests } = aServer({
      status: 403,
      statusText: 'Forbidden',
      headers: { 'content-type': 'application/json', 'content-length': '9', connection: 'close' },
      body: '{"a":{}}',
    });

    const sut = await inClusterApi(server)(aRequest());

    expect(requests).toEqual([
      {
        method: 'GET',
        path: '/api',
        headers: { 'user-agent': 'curl/8.5.0', authorization: 'Bearer t' },
        client: { ip: '10.244.1.7', port: 40100 },
      },
    ]);
    expect(sut).toEqual({
      status: 403,
      statusText: 'Forbidden',
      headers: { 'content-type': 'application/json', 'content-length': '14' },
      body: '{\n  "a": {}\n}\n',
    });
  });

  it('should send no body for HEAD and keep the declared Content-Length', async () => {
    const { server } = aServer({
      status: 200,
      statusText: 'OK',
      headers: { 'content-type': 'application/json', 'content-length': '9' },
      body: '',
    });

    const sut = await inClusterApi(server)(aRequest({ method: 'HEAD' }));

    expect(sut).toMatchObject({ body: '', headers: { 'content-length': '9' } });
  });
});
