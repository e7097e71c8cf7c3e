import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProviderErrorCode } from '../../errors';
import { ExternalProvider } from './external.provider';

const unreachable = `apiVersion: v1
kind: Config
clusters:
- name: gone
  cluster: { server: 'https://127.0.0.1:1' }
users:
- name: u
  user: { token: t }
contexts:
- name: gone
  context: { cluster: gone, user: u }
current-context: gone
`;

const spec = { name: 'lt-a', nodes: 2, cni: true, networkPolicy: true };

/** A kubeconfig for an API server that answers /version with `gitVersion`, for the length of `run`. */
async function withApiServer(gitVersion: string, run: (kubeconfig: string) => Promise<void>): Promise<void> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ major: '1', minor: '20', gitVersion }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await run(
      unreachable.replace(
        "{ server: 'https://127.0.0.1:1' }",
        `{ server: '${url}', insecure-skip-tls-verify: true }`,
      ),
    );
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

describe(ExternalProvider.name, () => {
  // The provider imports client-node on first use; load it here, not inside a test's timeout.
  beforeAll(() => import('@kubernetes/client-node'), 60_000);

  it('should refuse a spec without a CNI, saying it needs a fresh cluster', async () => {
    const sut = new ExternalProvider({ kubeconfig: unreachable });
    await expect(sut.create({ ...spec, cni: false })).rejects.toMatchObject({
      code: ProviderErrorCode.INVALID_SPEC,
      message:
        'external cluster: needs a fresh cluster without a CNI, and an existing cluster already has one',
    });
  });

  it('should name the server when the cluster does not answer', async () => {
    const sut = new ExternalProvider({ kubeconfig: unreachable });
    await expect(sut.create(spec)).rejects.toMatchObject({
      code: ProviderErrorCode.HOST_NOT_READY,
      message: expect.stringContaining('the external cluster at https://127.0.0.1:1 does not answer'),
    });
  });

  it('should refuse a cluster older than 1.21, naming its version and what netlab needs', async () => {
    await withApiServer('v1.20.15', async (kubeconfig) => {
      const sut = new ExternalProvider({ kubeconfig });
      await expect(sut.create(spec)).rejects.toMatchObject({
        code: ProviderErrorCode.INVALID_SPEC,
        message: expect.stringMatching(
          /^the external cluster at http:\/\/127\.0\.0\.1:\d+ runs Kubernetes v1\.20\.15, older than 1\.21, the oldest netlab supports \(it needs discovery\.k8s\.io\/v1 EndpointSlices\): upgrade it, or use another cluster$/,
        ),
      });
    });
  });

  it('should hand out a 1.31 cluster', async () => {
    await withApiServer('v1.31.2+k3s1', async (kubeconfig) => {
      const sut = new ExternalProvider({ kubeconfig });
      await expect(sut.create(spec)).resolves.toMatchObject({ name: 'lt-a', provider: 'external' });
    });
  });

  it('should reject a kubeconfig it cannot read', () => {
    expect(() => new ExternalProvider({ kubeconfig: 'clusters: [oops' })).toThrow(
      /the kubeconfig for the external provider cannot be read/,
    );
  });

  it.each([
    [{ cni: true }, undefined],
    [{ cni: false }, 'needs a fresh cluster without a CNI, and an existing cluster already has one'],
  ])('should say whether it can serve %j', (needs, refusal) => {
    expect(ExternalProvider.refusal(needs)).toBe(refusal);
  });
});
