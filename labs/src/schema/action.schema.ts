import { z } from 'zod';
import { Duration, K8sName, LabFile, Labels, ObjectRef } from './primitives.schema';

/** Apply every object in a manifest file (templated with the attempt's parameters). */
export const ApplyAction = z.strictObject({
  apply: LabFile('manifests', 'ya?ml').describe(
    'A manifest under manifests/, applied like `kubectl apply -f`.',
  ),
});

/** Delete one object. */
export const DeleteAction = z.strictObject({ delete: ObjectRef });

/** Patch one object, as `kubectl patch --type=...` does. */
export const PatchAction = z.strictObject({
  patch: z.strictObject({
    target: ObjectRef,
    type: z.enum(['strategic', 'merge', 'json']).default('strategic'),
    patch: z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()))]),
  }),
});

/** The name a captured value is used by, as `{{ name }}` in later actions of the same list. */
export const CaptureName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected a name such as podIP: letters, digits and _' });

/** The live object a capture reads: one by name, or the first (by name) that `labels` selects. */
export const CaptureTarget = z
  .strictObject({
    apiVersion: z.string().optional().describe('Defaults to the usual group/version of the kind.'),
    kind: z.string().min(1),
    namespace: K8sName.optional(),
    name: K8sName.optional(),
    labels: Labels.optional().describe('Pick the first object, by name, whose labels include these.'),
  })
  .refine((t) => (t.name === undefined) !== (t.labels === undefined), {
    error: 'give the target either a name or labels (not both, not neither)',
  });

/**
 * Read a value from a live object once it is set (e.g. a Pod's IP, which exists only once the Pod
 * runs) and keep it as `{{ as }}` for the actions after it in the same list.
 */
export const CaptureAction = z.strictObject({
  capture: z.strictObject({
    target: CaptureTarget,
    jsonPath: z
      .string()
      .regex(/^(\$|\{)\./, { error: 'expected a JSONPath such as {.status.podIP} or $.status.podIP' })
      .describe('Where the value is, e.g. {.status.podIP}'),
    as: CaptureName,
    timeout: Duration.default('30s').describe('How long to wait for the field to be set.'),
  }),
});

/** One change a lab makes to a cluster: in setup, the fault, the solution or a bypass. */
export const Action = z.union([ApplyAction, DeleteAction, PatchAction, CaptureAction]);
/** A change to a cluster. */
export type Action = z.infer<typeof Action>;
