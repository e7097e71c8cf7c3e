import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { decodeProtobufObject } from './protobuf-codec';
import { ApiError, type Status } from './api-error';

const MAX_BODY = 3 * 1024 * 1024;

/** Reads a request body (the API server's 3 MiB limit). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY)
      throw ApiError.of(
        'RequestEntityTooLarge',
        'Request entity too large: limit is 3145728',
        undefined,
        413,
      );
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON, YAML or Kubernetes protobuf body (by Content-Type); empty bodies are `{}`. */
export function parseBody(body: Buffer, contentType: string | undefined): unknown {
  if (contentType?.includes('protobuf')) {
    if (process.env.NETLAB_SIM_DUMP) writeFileSync(`${process.env.NETLAB_SIM_DUMP}/${Date.now()}.pb`, body);
    return decodeProtobufObject(body);
  }
  const text = body.toString('utf8');
  if (!text.trim()) return {};
  try {
    if (contentType?.includes('yaml')) return parseYaml(text) as unknown;
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw ApiError.badRequest(`error decoding request body: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Writes a JSON answer. */
export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Writes a Status error. */
export function sendStatus(res: ServerResponse, status: Status): void {
  sendJson(res, status.code, status);
}
