import { describe, expect, it } from 'vitest';
import { LabImage } from './lab.schema';

describe('LabImage', () => {
  it('should accept an own image with a model and the fields that differ from it', () => {
    const sut = LabImage.safeParse({
      image: 'ghcr.io/acme/shop-api',
      model: 'http-echo',
      cmd: ['-listen=:8080', '-text=shop'],
      shell: 'none',
    });

    expect(sut.success).toBe(true);
  });

  it('should name the models when the model is not one the sim has', () => {
    const sut = LabImage.safeParse({ image: 'acme/shop', model: 'coredns' });

    expect(sut.success).toBe(false);
    expect(sut.error?.issues[0]?.message).toContain('"shell"');
  });

  it('should ask for a repository without a tag when the image has one', () => {
    const sut = LabImage.safeParse({ image: 'acme/shop:1.0', model: 'nginx' });

    expect(sut.error?.issues[0]?.message).toBe(
      'expected a repository without a tag, e.g. ghcr.io/acme/shop-api (every tag of it pulls)',
    );
  });

  it('should accept TLS ports with an absolute certificate path and name a relative one', () => {
    const ok = LabImage.safeParse({
      image: 'ghcr.io/acme/shop-api',
      model: 'http-echo',
      tls: [{ port: 8443, certificate: '/etc/tls/tls.crt', plainHttp: 'go-400' }],
    });
    const bad = LabImage.safeParse({
      image: 'ghcr.io/acme/shop-api',
      model: 'http-echo',
      tls: [{ port: 8443, certificate: 'tls.crt' }],
    });

    expect(ok.success).toBe(true);
    expect(bad.error?.issues[0]?.path).toEqual(['tls', 0, 'certificate']);
    expect(bad.error?.issues[0]?.message).toBe('expected an absolute path, e.g. /etc/tls/tls.crt');
  });
});
