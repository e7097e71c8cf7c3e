import { isIP } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import {
  checkHostName,
  curlDn,
  parsePemChain,
  verifyChain,
  type VerifyFailure,
} from '../../apps/tls-certificate';
import { resolvePath } from '../shell-filesystem';
import type { ServerTls } from '../shell-host';
import type { ToolContext } from '../tool-context';

const SSL_LIB = 'OpenSSL/3.1.4';
const DEFAULT_CAFILE = '/etc/ssl/certs/ca-certificates.crt';
const CAPATH = '/etc/ssl/certs';
/** The help curl prints after a `(60)` error, where it prints the error line. */
export const CA_CERT_HELP =
  'More details here: https://curl.se/docs/sslcerts.html\n\n' +
  'curl failed to verify the legitimacy of the server and therefore could not\n' +
  'establish a secure connection to it. To learn more about this situation and\n' +
  'how to fix it, please visit the web page mentioned above.\n';

/** How a TLS handshake ended, with curl's exit code, message and verbose lines. */
export type TlsOutcome =
  { ok: true; verbose: string[] } | { ok: false; code: number; message: string; verbose: string[] };

/** The alert OpenSSL sends when it rejects the server's certificate, as curl -v names it. */
function alertFor(failure: VerifyFailure): string {
  if (failure.code === 10) return 'certificate expired (557)';
  if (failure.code === 9) return 'bad certificate (554)';
  return 'unknown CA (560)';
}

/**
 * curl's side of a TLS handshake (OpenSSL backend): the CA bundle it trusts (`--cacert`, else the
 * image's system bundle, which holds no cluster CA), chain verification, then the host name check,
 * each skipped with `-k`. `accept` is what the server's certificate is judged by; `outcome` tells
 * what curl prints afterwards.
 */
export class CurlTls {
  private trusted: X509Certificate[] = [];
  private result?: TlsOutcome;

  constructor(
    private readonly ctx: ToolContext,
    private readonly options: { insecure: boolean; cacert?: string },
    private readonly host: string,
  ) {}

  /** Loads the CA file; a missing one fails before any connection, as curl's (77). */
  load(): { code: number; message: string } | undefined {
    if (this.options.cacert === undefined) return undefined;
    const text = this.ctx.fs.read(resolvePath(this.ctx.cwd, this.options.cacert));
    if (text === undefined || parsePemChain(text).length === 0)
      return { code: 77, message: `error setting certificate file: ${this.options.cacert}` };
    this.trusted = parsePemChain(text);
    return undefined;
  }

  /** The lines from the ClientHello up to the server's answer. */
  hello(): string[] {
    return [
      '* ALPN: curl offers h2,http/1.1',
      '* TLSv1.3 (OUT), TLS handshake, Client hello (1):',
      `*  CAfile: ${this.options.cacert ?? DEFAULT_CAFILE}`,
      `*  CApath: ${CAPATH}`,
    ];
  }

  /** The server answered the ClientHello with plain HTTP: OpenSSL reads no TLS record. */
  plainServer(): TlsOutcome {
    const message = `${SSL_LIB}: error:0A00010B:SSL routines::wrong version number`;
    return { ok: false, code: 35, message, verbose: [`* ${message}`] };
  }

  /** Judges the server's certificate; false means curl hangs up before sending the request. */
  accept(server: ServerTls): boolean {
    const chain = parsePemChain(server.chainPem);
    const leaf = chain[0];
    const received = [
      '* TLSv1.3 (IN), TLS handshake, Server hello (2):',
      '* TLSv1.3 (IN), TLS handshake, Encrypted Extensions (8):',
    ];
    if (!leaf) {
      const message = `${SSL_LIB}: error:0A000438:SSL routines::tlsv1 alert internal error`;
      this.result = {
        ok: false,
        code: 35,
        message,
        verbose: [...received, '* TLSv1.3 (IN), TLS alert, internal error (592):', `* ${message}`],
      };
      return false;
    }
    received.push('* TLSv1.3 (IN), TLS handshake, Certificate (11):');
    const failure = verifyChain(chain, this.trusted, this.ctx.clock.date());
    if (failure && !this.options.insecure) {
      const message = `SSL certificate problem: ${failure.text}`;
      this.result = {
        ok: false,
        code: 60,
        message,
        verbose: [...received, `* TLSv1.3 (OUT), TLS alert, ${alertFor(failure)}:`, `* ${message}`],
      };
      return false;
    }
    const done = [
      ...received,
      '* TLSv1.3 (IN), TLS handshake, CERT verify (15):',
      '* TLSv1.3 (IN), TLS handshake, Finished (20):',
      '* TLSv1.3 (OUT), TLS change cipher, Change cipher spec (1):',
      '* TLSv1.3 (OUT), TLS handshake, Finished (20):',
      '* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384',
      '* ALPN: server accepted http/1.1',
      '* Server certificate:',
      `*  subject: ${curlDn(leaf.subject)}`,
      `*  start date: ${leaf.validFrom}`,
      `*  expire date: ${leaf.validTo}`,
    ];
    if (!this.options.insecure) {
      const name = checkHostName(leaf, this.host, isIP(this.host) !== 0);
      if ('error' in name) {
        const mismatch = isIP(this.host)
          ? `*  subjectAltName does not match ipv4 address ${this.host}`
          : `*  subjectAltName does not match host name ${this.host}`;
        this.result = {
          ok: false,
          code: 60,
          message: name.error,
          verbose: [...done, mismatch, `* ${name.error}`],
        };
        return false;
      }
      done.push(name.matched);
    }
    done.push(`*  issuer: ${curlDn(leaf.issuer)}`);
    done.push(
      failure
        ? `*  SSL certificate verify result: ${failure.text} (${failure.code}), continuing anyway.`
        : '*  SSL certificate verify ok.',
    );
    done.push('* using HTTP/1.1');
    this.result = { ok: true, verbose: done };
    return true;
  }

  /** What the handshake came to (after `accept` ran). */
  outcome(): TlsOutcome | undefined {
    return this.result;
  }
}
