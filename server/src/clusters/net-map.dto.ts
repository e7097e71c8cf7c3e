import { z } from 'zod';

/** A Pod on the map. */
export const NetMapPod = z.object({
  namespace: z.string(),
  name: z.string(),
  ip: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  ready: z.boolean(),
});
export type NetMapPod = z.infer<typeof NetMapPod>;

/** A Service and the endpoints it really has. */
export const NetMapService = z.object({
  namespace: z.string(),
  name: z.string(),
  type: z.string(),
  clusterIP: z.string().nullable(),
  ports: z.array(
    z.object({
      name: z.string().nullable(),
      port: z.number().int(),
      targetPort: z.union([z.string(), z.number().int()]).nullable(),
      protocol: z.string(),
    }),
  ),
  selector: z.record(z.string(), z.string()).nullable(),
  endpoints: z.array(z.object({ pod: z.string().nullable(), ip: z.string(), ready: z.boolean() })),
});
export type NetMapService = z.infer<typeof NetMapService>;

/** A NetworkPolicy and the Pods (`namespace/name`) it isolates. */
export const NetMapPolicy = z.object({
  namespace: z.string(),
  name: z.string(),
  podSelector: z.unknown().describe('The policy spec.podSelector as written'),
  isolates: z.array(z.string()),
  policyTypes: z.array(z.string()),
});
export type NetMapPolicy = z.infer<typeof NetMapPolicy>;

/** The lab namespaces as the networking model sees them (the `NetMap` of the API contract). */
export const NetMap = z.object({
  namespaces: z.array(z.string()),
  nodes: z.array(z.object({ name: z.string(), pods: z.array(NetMapPod) })),
  services: z.array(NetMapService),
  policies: z.array(NetMapPolicy),
});
export type NetMap = z.infer<typeof NetMap>;
