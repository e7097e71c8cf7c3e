import { describe, expect, it } from 'vitest';
import { aRuntime } from './testing/runtime-harness';
import { FAST_PROPAGATION, REALISTIC_PROPAGATION, resolvePropagation } from './propagation';

describe(resolvePropagation.name, () => {
  it('should give the realistic delays when nothing is said', () => {
    const sut = resolvePropagation();
    expect(sut).toEqual({
      kubeProxySyncMs: 250,
      corednsReloadMs: 45_000,
      imagePullMs: 400,
      containerStartMs: 100,
      sigtermExitMs: 300,
    });
    expect(sut).toEqual(REALISTIC_PROPAGATION);
  });

  it('should give zero delays when propagation is fast', () => {
    expect(resolvePropagation('fast')).toEqual(FAST_PROPAGATION);
    expect(Object.values(FAST_PROPAGATION).every((v) => v === 0)).toBe(true);
  });

  it('should keep the realistic defaults for the fields an override leaves out', () => {
    expect(resolvePropagation({ kubeProxySyncMs: 1000 })).toEqual({
      ...REALISTIC_PROPAGATION,
      kubeProxySyncMs: 1000,
    });
  });

  it('should name every bad field when delays are negative or not numbers', () => {
    expect(() => resolvePropagation({ kubeProxySyncMs: -1, imagePullMs: Number.NaN })).toThrow(
      'propagation delays must be milliseconds ≥ 0: kubeProxySyncMs=-1, imagePullMs=NaN',
    );
  });

  it('should drive the kubelet and kube-proxy of a runtime when given to it', async () => {
    const { sut } = await aRuntime({ propagation: { kubeProxySyncMs: 700, imagePullMs: 50 } });
    expect(sut.propagation).toMatchObject({ kubeProxySyncMs: 700, imagePullMs: 50 });
    expect(sut.kubelet.timing).toEqual({ pullMs: 50, startMs: 100, stopMs: 300 });
    await sut.stop();
  });
});
