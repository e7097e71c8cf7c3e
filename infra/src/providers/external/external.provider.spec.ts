import { describe, expect, it } from 'vitest';
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

describe(ExternalProvider.name, () => {
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
