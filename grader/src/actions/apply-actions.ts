import { PatchStrategy, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { Action, LoadedLab } from '@netlab/labs';
import jsonPatch, { type Operation } from 'fast-json-patch';
import { GraderError, GraderErrorCode } from '../errors';
import { apiMessage, isNotFound, rethrowFatal, statusOf } from '../kube/kube-errors';
import { RawObjectApi, type ObjectApi } from '../kube/raw-object-api';
import { apiVersionOf } from './api-versions';
import { captureValue, fillCaptured, type CapturedValues } from './captured-values';
import { mapObjectImages, type ImageMap } from './image-map';

/** How actions are applied. */
export interface ActionOptions {
  /** Rewrites container images, for clusters without registry access. */
  imageMap?: ImageMap;
  /** Labels added to every Namespace the lab creates (e.g. so an external cluster's run can be cleaned up). */
  namespaceLabels?: Record<string, string>;
  /** The object client; default one built from the KubeConfig. */
  api?: ObjectApi;
  /**
   * Values `capture` actions have read, filled into later actions' `{{ name }}`; pass one object
   * to several calls that apply one list in parts. Default: a fresh one per call.
   */
  captured?: CapturedValues;
}

/** One applied change, for progress output. */
export interface AppliedChange {
  verb: 'created' | 'configured' | 'patched' | 'deleted' | 'unchanged' | 'captured';
  object: string;
}

/**
 * Applies a lab's actions in order, as a learner's kubectl would: `apply` creates each object of a
 * manifest or, when it exists, merges the manifest into it; `patch` patches; `delete` deletes
 * (a missing object is fine); `capture` reads a live object's field for later actions'
 * `{{ name }}`. The API refusing an action means the lab is wrong: that throws a
 * GraderError (ACTION_FAILED) naming the action, the object and the API's reason.
 */
export async function applyActions(
  kc: KubeConfig,
  lab: LoadedLab,
  actions: Action[],
  options: ActionOptions = {},
): Promise<AppliedChange[]> {
  const own = options.api ? undefined : new RawObjectApi(kc);
  try {
    return await applyWith(options.api ?? own!, lab, actions, options);
  } finally {
    own?.dispose();
  }
}

async function applyWith(
  api: ObjectApi,
  lab: LoadedLab,
  actions: Action[],
  options: ActionOptions,
): Promise<AppliedChange[]> {
  const changes: AppliedChange[] = [];
  const captured = options.captured ?? {};
  for (const [i, written] of actions.entries()) {
    if ('capture' in written) {
      const value = await captureValue(api, written.capture);
      captured[written.capture.as] = value;
      changes.push({ verb: 'captured', object: `${written.capture.as} = ${value}` });
      continue;
    }
    const action = fillCaptured(written, captured, `action ${i + 1}`);
    if ('apply' in action) {
      const objects = lab.manifests[action.apply] ?? [];
      for (const manifest of objects) {
        const filled = fillCaptured(manifest as KubernetesObject, captured, `apply ${action.apply}`);
        const object = prepare(filled, options);
        changes.push(await guarded(`apply ${action.apply}`, object, () => applyObject(api, object)));
      }
    } else if ('delete' in action) {
      const ref = action.delete;
      const object = header(ref);
      changes.push(
        await guarded(`action ${i + 1} (delete)`, object, async () => {
          try {
            await api.delete(object);
            return { verb: 'deleted', object: describe(object) };
          } catch (error) {
            if (isNotFound(error)) return { verb: 'unchanged', object: `${describe(object)} (already gone)` };
            throw error;
          }
        }),
      );
    } else if ('patch' in action) {
      const { target, type, patch } = action.patch;
      const object = header(target);
      changes.push(
        await guarded(`action ${i + 1} (patch)`, object, () => patchObject(api, object, type, patch)),
      );
    }
  }
  return changes;
}

async function applyObject(api: ObjectApi, object: KubernetesObject): Promise<AppliedChange> {
  try {
    await api.create(object);
    return { verb: 'created', object: describe(object) };
  } catch (error) {
    if (statusOf(error) !== 409) throw error;
  }
  await api.patch(object, object, PatchStrategy.MergePatch);
  return { verb: 'configured', object: describe(object) };
}

async function patchObject(
  api: ObjectApi,
  object: KubernetesObject,
  type: 'strategic' | 'merge' | 'json',
  patch: Record<string, unknown> | Record<string, unknown>[],
): Promise<AppliedChange> {
  if (type === 'json') {
    const current = await api.read(object);
    const ops = patch as unknown as Operation[];
    const next = jsonPatch.applyPatch(structuredClone(current), ops, true, false).newDocument;
    await api.replace(next);
  } else {
    const body = patch as Record<string, unknown>;
    const meta = (body.metadata ?? {}) as Record<string, unknown>;
    const merged = {
      ...body,
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: { ...meta, ...object.metadata },
    };
    const strategy = type === 'merge' ? PatchStrategy.MergePatch : PatchStrategy.StrategicMergePatch;
    await api.patch(object, merged, strategy);
  }
  return { verb: 'patched', object: describe(object) };
}

async function guarded(
  what: string,
  object: KubernetesObject,
  run: () => Promise<AppliedChange>,
): Promise<AppliedChange> {
  try {
    return await run();
  } catch (error) {
    rethrowFatal(error);
    const reason =
      error instanceof jsonPatch.JsonPatchError
        ? `the JSON patch does not fit: ${error.message}`
        : apiMessage(error);
    throw new GraderError(
      GraderErrorCode.ACTION_FAILED,
      `${what}: ${describe(object)} was refused: ${reason}`,
      { cause: error },
    );
  }
}

function prepare(manifest: KubernetesObject, options: ActionOptions): KubernetesObject {
  const object = mapObjectImages(manifest, options.imageMap);
  if (object.kind === 'Namespace' && options.namespaceLabels) {
    return {
      ...object,
      metadata: { ...object.metadata, labels: { ...object.metadata?.labels, ...options.namespaceLabels } },
    };
  }
  return object;
}

function header(ref: {
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
}): KubernetesObject {
  return {
    apiVersion: apiVersionOf(ref),
    kind: ref.kind,
    metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
  };
}

/** `Kind namespace/name`, as progress output shows an object. */
export function describe(object: KubernetesObject): string {
  const ns = object.metadata?.namespace;
  return `${object.kind} ${ns ? `${ns}/` : ''}${object.metadata?.name}`;
}
