/** One decoded protobuf field: its number and raw value (varint as bigint, length-delimited as bytes). */
export interface WireField {
  field: number;
  wireType: number;
  varint?: bigint;
  bytes?: Uint8Array;
  fixed?: Uint8Array;
}

/** Splits a protobuf message into its fields, without a schema. Throws on malformed input. */
export function decodeWire(buf: Uint8Array): WireField[] {
  const out: WireField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const tag = Number(varint());
    const field = tag >>> 3;
    const wireType = tag & 7;
    switch (wireType) {
      case 0:
        out.push({ field, wireType, varint: varint() });
        break;
      case 1:
        out.push({ field, wireType, fixed: buf.subarray(pos, (pos += 8)) });
        break;
      case 2: {
        const len = Number(varint());
        if (pos + len > buf.length) throw new Error('truncated field');
        out.push({ field, wireType, bytes: buf.subarray(pos, (pos += len)) });
        break;
      }
      case 5:
        out.push({ field, wireType, fixed: buf.subarray(pos, (pos += 4)) });
        break;
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
  }
  return out;
}
