import { z } from 'zod';
import { LabFile, ObjectRef } from './primitives.schema';

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

/** One change a lab makes to a cluster: in setup, the fault, the solution or a bypass. */
export const Action = z.union([ApplyAction, DeleteAction, PatchAction]);
/** A change to a cluster. */
export type Action = z.infer<typeof Action>;
