import { arr, rec, type Obj } from './printer-helpers';
import type { FieldCause } from './resource-definition';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Go's `%q` of a string, as field error messages quote values. */
export function quote(value: unknown): string {
  return JSON.stringify(String(value));
}

/** metadata.name checks: required, DNS-1123 subdomain (or label for kinds that need one). */
export function validateName(object: Obj, label: boolean): FieldCause[] {
  const name = rec(object, 'metadata').name;
  if (typeof name !== 'string' || name === '') {
    return [
      {
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ];
  }
  if (label) {
    if (name.length > 63 || !DNS1123_LABEL.test(name)) {
      return [
        {
          reason: 'FieldValueInvalid',
          field: 'metadata.name',
          message: `Invalid value: ${quote(name)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
        },
      ];
    }
  } else if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: ${quote(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      },
    ];
  }
  return [];
}

/** Containers need a unique name and an image. */
export function validatePodSpec(spec: Obj, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const containers = arr(spec, 'containers');
  if (containers.length === 0) {
    causes.push({ reason: 'FieldValueRequired', field: `${path}.containers`, message: 'Required value' });
  }
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    const p = `${path}.containers[${i}]`;
    if (!c.name) causes.push({ reason: 'FieldValueRequired', field: `${p}.name`, message: 'Required value' });
    else if (seen.has(String(c.name))) {
      causes.push({
        reason: 'FieldValueDuplicate',
        field: `${p}.name`,
        message: `Duplicate value: ${quote(c.name)}`,
      });
    }
    seen.add(String(c.name));
    if (!c.image)
      causes.push({ reason: 'FieldValueRequired', field: `${p}.image`, message: 'Required value' });
    arr(c, 'ports').forEach((port, j) => {
      const n = port.containerPort;
      if (typeof n !== 'number' || n < 1 || n > 65535) {
        causes.push({
          reason: 'FieldValueInvalid',
          field: `${p}.ports[${j}].containerPort`,
          message: `Invalid value: ${String(n ?? 0)}: must be between 1 and 65535, inclusive`,
        });
      }
    });
  });
  const rp = spec.restartPolicy;
  if (rp !== undefined && !['Always', 'OnFailure', 'Never'].includes(String(rp))) {
    causes.push({
      reason: 'FieldValueNotSupported',
      field: `${path}.restartPolicy`,
      message: `Unsupported value: ${quote(rp)}: supported values: "Always", "OnFailure", "Never"`,
    });
  }
  return causes;
}

/** Go's `%#v` of a LabelSelector, as immutable-selector errors print it. */
export function goLabelSelector(selector: unknown): string {
  const s = rec(selector);
  const labels = Object.entries(rec(s.matchLabels))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${quote(k)}:${quote(v)}`);
  const ml = Object.keys(rec(s.matchLabels)).length
    ? `map[string]string{${labels.join(', ')}}`
    : 'map[string]string(nil)';
  const me = arr(s, 'matchExpressions').length
    ? '[]v1.LabelSelectorRequirement{...}'
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`;
}

function goStringMap(map: Obj): string {
  const entries = Object.entries(map)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${quote(k)}:${quote(v)}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** Workloads: a selector that matches the template's labels, and a valid template. */
export function validateWorkload(object: Obj): FieldCause[] {
  const spec = rec(object, 'spec');
  const causes: FieldCause[] = [];
  const selector = rec(spec, 'selector');
  const matchLabels = rec(selector, 'matchLabels');
  const templateLabels = rec(spec, 'template', 'metadata', 'labels');
  if (!spec.selector || (!Object.keys(matchLabels).length && !arr(selector, 'matchExpressions').length)) {
    causes.push({ reason: 'FieldValueRequired', field: 'spec.selector', message: 'Required value' });
  } else if (!Object.entries(matchLabels).every(([k, v]) => templateLabels[k] === v)) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      message: `Invalid value: ${goStringMap(templateLabels)}: \`selector\` does not match template \`labels\``,
    });
  }
  if (typeof spec.replicas === 'number' && spec.replicas < 0) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.replicas',
      message: `Invalid value: ${spec.replicas}: must be greater than or equal to 0`,
    });
  }
  causes.push(...validatePodSpec(rec(spec, 'template', 'spec'), 'spec.template.spec'));
  return causes;
}

/** Services need ports (unless headless or ExternalName) with valid numbers and unique names. */
export function validateService(object: Obj): FieldCause[] {
  const spec = rec(object, 'spec');
  const causes: FieldCause[] = [];
  const ports = arr(spec, 'ports');
  const types = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
  if (spec.type !== undefined && !types.includes(String(spec.type))) {
    causes.push({
      reason: 'FieldValueNotSupported',
      field: 'spec.type',
      message: `Unsupported value: ${quote(spec.type)}: supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`,
    });
  }
  if (ports.length === 0 && spec.clusterIP !== 'None' && spec.type !== 'ExternalName') {
    causes.push({ reason: 'FieldValueRequired', field: 'spec.ports', message: 'Required value' });
  }
  ports.forEach((p, i) => {
    if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: `spec.ports[${i}].port`,
        message: `Invalid value: ${String(p.port ?? 0)}: must be between 1 and 65535, inclusive`,
      });
    }
    if (ports.length > 1 && !p.name) {
      causes.push({
        reason: 'FieldValueRequired',
        field: `spec.ports[${i}].name`,
        message: 'Required value',
      });
    }
  });
  return causes;
}

const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/');
  const problems: string[] = [];
  if (parts.length > 2) {
    problems.push(
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    );
    return problems;
  }
  const name = parts.at(-1)!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0) problems.push('prefix part must be non-empty');
    else if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) {
      problems.push(
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      );
    }
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else if (name.length > 63) problems.push('name part must be no more than 63 characters');
  else if (!QUALIFIED_NAME_PART.test(name)) {
    problems.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  }
  return problems;
}

/** Label keys and values, and annotation keys, as ValidateObjectMeta checks them. */
export function validateMetadata(object: Obj, path = 'metadata'): FieldCause[] {
  const meta = rec(object, ...path.split('.'));
  const causes: FieldCause[] = [];
  for (const [k, v] of Object.entries(rec(meta, 'labels'))) {
    for (const p of qualifiedNameProblems(k)) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: `${path}.labels`,
        message: `Invalid value: ${quote(k)}: ${p}`,
      });
    }
    const value = String(v ?? '');
    if (value.length > 63) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: `${path}.labels`,
        message: `Invalid value: ${quote(value)}: must be no more than 63 characters`,
      });
    } else if (!LABEL_VALUE.test(value)) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: `${path}.labels`,
        message: `Invalid value: ${quote(value)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      });
    }
  }
  for (const k of Object.keys(rec(meta, 'annotations'))) {
    for (const p of qualifiedNameProblems(k)) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: `${path}.annotations`,
        message: `Invalid value: ${quote(k)}: ${p}`,
      });
    }
  }
  return causes;
}
