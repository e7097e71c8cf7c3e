import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { decodeProtobufObject } from './protobuf-codec';
import { ApiError, type Status } from './api-error';
import { bodyByteLimit, checkShape, scanJson, scanYaml, tooLarge } from './body-limits';

/**
 * Reads a request body up to the limit for its Content-Type (the API server's 3 MiB; 1 MiB for YAML),
 * refusing at once a Content-Length over it.
 */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const limit = bodyByteLimit(req.headers['content-type']);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Parses a JSON, YAML or Kubernetes protobuf body (by Content-Type); empty bodies are `{}`. The text is
 * scanned for depth and size before any parser sees it, and the result checked again after.
 */
export function parseBody(body: Buffer, contentType: string | undefined): unknown {
  if (contentType?.includes('protobuf')) {
    if (process.env.NETLAB_SIM_DUMP) writeFileSync(`${process.env.NETLAB_SIM_DUMP}/${Date.now()}.pb`, body);
    return decodeProtobufObject(body);
  }
  const limit = bodyByteLimit(contentType);
  if (body.length > limit) throw tooLarge(limit);
  const text = body.toString('utf8');
  if (!text.trim()) return {};
  const yaml = contentType?.includes('yaml') && !contentType.includes('apply-patch');
  if (yaml) scanYaml(text);
  else scanJson(text);
  let value: unknown;
  try {
    if (contentType?.includes('yaml')) {
      // A JSON body sent as apply-patch+yaml is still YAML; aliases are capped against "billion laughs".
      if (!yaml) scanYaml(text);
      value = parseYaml(text, { maxAliasCount: 100, merge: false }) as unknown;
    } else value = JSON.parse(text) as unknown;
  } catch (e) {
    throw ApiError.badRequest(`error decoding request body: ${e instanceof Error ? e.message : String(e)}`);
  }
  checkShape(value);
  return value;
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
