import type { KubernetesObject } from '@kubernetes/client-node';
import type { Action } from '@netlab/labs';
import { evaluateJsonPath } from '../checks/json-path';
import { GraderError, GraderErrorCode } from '../errors';
import { durationMs } from '../grade/duration';
import { isNotFound } from '../kube/kube-errors';
import type { ObjectApi } from '../kube/raw-object-api';
import { apiVersionOf } from './api-versions';

/** Values read from live objects by `capture` actions, by name, for the actions after them. */
export type CapturedValues = Record<string, string>;

type Capture = Extract<Action, { capture: unknown }>['capture'];

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Reads `capture.jsonPath` from the target (by name, or the first by name its labels select),
 * polling until the field is set — a Pod's IP exists only once the Pod runs — or the timeout passes.
 * A target or field still missing then is the lab's mistake: GraderError ACTION_FAILED saying which.
 */
export async function captureValue(
  api: ObjectApi,
  capture: Capture,
  options: { pollMs?: number } = {},
): Promise<string> {
  const { target, jsonPath } = capture;
  const header: KubernetesObject = {
    apiVersion: apiVersionOf(target),
    kind: target.kind,
    metadata: {
      ...(target.name ? { name: target.name } : {}),
      ...(target.namespace ? { namespace: target.namespace } : {}),
    },
  };
  const selector = Object.entries(target.labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const what = `${target.kind} ${target.namespace ? `${target.namespace}/` : ''}${target.name ?? `with labels ${selector}`}`;
  const deadline = Date.now() + durationMs(capture.timeout);
  let seen = `no ${what}`;
  for (;;) {
    const object = await readTarget(api, header, target.name ? undefined : selector);
    if (object) {
      const value = evaluateJsonPath(object, jsonPath);
      if (value !== undefined && value !== null && value !== '')
        return typeof value === 'string' ? value : JSON.stringify(value);
      seen = `${what} has no ${jsonPath}`;
    }
    if (Date.now() >= deadline) {
      throw new GraderError(
        GraderErrorCode.ACTION_FAILED,
        `capture ${capture.as}: ${seen} after ${capture.timeout} (raise capture.timeout, or check the target and jsonPath)`,
      );
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
  }
}

async function readTarget(
  api: ObjectApi,
  header: KubernetesObject,
  selector: string | undefined,
): Promise<KubernetesObject | undefined> {
  if (selector === undefined) {
    try {
      return await api.read(header);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
  if (!api.list) throw new Error('this object client cannot list objects (capture by labels)');
  const items = await api.list(header, selector);
  return items
    .filter((o) => !(o.metadata as { deletionTimestamp?: string } | undefined)?.deletionTimestamp)
    .sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)))[0];
}

/**
 * The value with every `{{ name }}` of a captured name replaced by its value (strings anywhere in
 * it). A placeholder left without a value means the lab uses a capture it never made.
 */
export function fillCaptured<T>(value: T, captured: CapturedValues, what: string): T {
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string')
      return v.replace(PLACEHOLDER, (_all, name: string) => {
        const found = captured[name];
        if (found === undefined)
          throw new GraderError(
            GraderErrorCode.ACTION_FAILED,
            `${what} uses {{ ${name} }}, but no capture action before it set ${name}`,
          );
        return found;
      });
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(value) as T;
}
