import protobuf from 'protobufjs/minimal.js';

/** One decoded protobuf field: its number and raw value (varint as a number, length-delimited as bytes). */
export interface WireField {
  field: number;
  wireType: number;
  varint?: number;
  bytes?: Uint8Array;
}

/** What one protobuf body may hold: decoding stops with an error past these, so it stays linear. */
export interface WireLimits {
  /** Fields in the whole body, nested messages included. */
  maxFields: number;
  /** Bytes of one length-delimited field. */
  maxFieldBytes: number;
}

/** The defaults: far above what kubectl's typed create sends, far below what could stall a host. */
export const WIRE_LIMITS: WireLimits = { maxFields: 100_000, maxFieldBytes: 3 * 1024 * 1024 };

/** A running count of the fields decoded from one body, shared by its nested messages. */
export class WireBudget {
  private fields = 0;
  constructor(readonly limits: WireLimits = WIRE_LIMITS) {}

  /** Counts one field; throws past the limit. */
  take(): void {
    if (++this.fields > this.limits.maxFields)
      throw new Error(`too many fields: the limit is ${this.limits.maxFields}`);
  }
}

/**
 * Splits a protobuf message into its fields with protobufjs's Reader, without a schema: varints are
 * at most 10 bytes, lengths are checked against the buffer, groups (wire types 3/4, unused by
 * Kubernetes) are refused. Throws on malformed input.
 */
export function decodeWire(buf: Uint8Array, budget: WireBudget): WireField[] {
  const out: WireField[] = [];
  const reader = protobuf.Reader.create(buf);
  while (reader.pos < reader.len) {
    budget.take();
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 0) throw new Error('illegal field number 0');
    switch (wireType) {
      case 0:
        out.push({ field, wireType, varint: Number(reader.int64()) });
        break;
      case 1:
        reader.skip(8);
        break;
      case 2: {
        const start = reader.pos;
        const len = reader.uint32();
        if (len > budget.limits.maxFieldBytes)
          throw new Error(`field ${field} is ${len} bytes: the limit is ${budget.limits.maxFieldBytes}`);
        reader.pos = start;
        out.push({ field, wireType, bytes: reader.bytes() });
        break;
      }
      case 5:
        reader.skip(4);
        break;
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
  }
  return out;
}
