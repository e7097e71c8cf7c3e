import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHostName, curlDn, parsePemChain, verifyChain } from './tls-certificate';

const FIXTURES = join(__dirname, '../../../test/fixtures/tls');
const pem = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const cert = (name: string) => parsePemChain(pem(name))[0]!;
const NOW = new Date('2027-06-01T00:00:00Z');

describe(verifyChain.name, () => {
  it.each([
    { what: 'a leaf signed by the trusted CA', served: 'web.crt', trusted: ['ca.crt'], failure: undefined },
    {
      what: 'a leaf whose CA is not trusted',
      served: 'web.crt',
      trusted: ['other-ca.crt'],
      failure: { code: 20, text: 'unable to get local issuer certificate' },
    },
    {
      what: 'a self-signed leaf',
      served: 'self.crt',
      trusted: [],
      failure: { code: 18, text: 'self-signed certificate' },
    },
    {
      what: 'an expired leaf of the trusted CA',
      served: 'expired.crt',
      trusted: ['ca.crt'],
      failure: { code: 10, text: 'certificate has expired' },
    },
    {
      what: 'a self-signed leaf that is itself trusted',
      served: 'self.crt',
      trusted: ['self.crt'],
      failure: undefined,
    },
  ])('should judge $what as OpenSSL does', ({ served, trusted, failure }) => {
    const sut = verifyChain(parsePemChain(pem(served)), trusted.map(cert), NOW);

    expect(sut).toEqual(failure);
  });

  it('should say self-signed certificate in certificate chain when the server sends its untrusted root', () => {
    const chain = parsePemChain(pem('web.crt') + pem('ca.crt'));

    expect(verifyChain(chain, [], NOW)).toEqual({
      code: 19,
      text: 'self-signed certificate in certificate chain',
    });
  });
});

describe(checkHostName.name, () => {
  it.each([
    { host: 'web', matched: '*  subjectAltName: host "web" matched cert\'s "web"' },
    {
      host: '127.0.0.1',
      address: true,
      matched: '*  subjectAltName: host "127.0.0.1" matched cert\'s IP address!',
    },
    { host: 'api', error: "SSL: no alternative certificate subject name matches target host name 'api'" },
    {
      host: '10.96.0.5',
      address: true,
      error: "SSL: no alternative certificate subject name matches target host name '10.96.0.5'",
    },
  ])('should check $host against the SANs as curl does', ({ host, address, matched, error }) => {
    const sut = checkHostName(cert('web.crt'), host, address ?? false);

    expect(sut).toEqual(matched ? { matched } : { error });
  });

  it('should print the DN the way curl does', () => {
    expect(curlDn(cert('web.crt').issuer)).toBe('O=netlab; CN=netlab test CA');
  });
});
