// The binary framing of the terminal WebSocket (server/docs/api-contract.md, `netlab.terminal.v1`):
// byte 0 is the frame type, the rest its payload.

export const TERMINAL_SUBPROTOCOL = 'netlab.terminal.v1';

/** Frame types the browser sends. */
export enum ClientFrame {
  Data = 0x00,
  Resize = 0x01,
  Ack = 0x02,
  Hello = 0x03,
}

/** Frame types the server sends. */
export enum ServerFrame {
  Data = 0x00,
  Status = 0x10,
  Error = 0x11,
  Command = 0x12,
}

/** The shell's state as the server reports it. */
export interface TerminalStatus {
  state: 'attached' | 'replaying' | 'exited' | 'read-only';
  exitCode?: number | null;
  /** Output offset the server has produced so far. */
  seq: number;
  /** Offset of the first DATA byte this connection gets (where the replay starts). */
  from?: number;
  /** False when the server could not resume from where we asked (a new shell, or output trimmed): clear the screen. */
  resumed?: boolean;
}

/** One decoded server frame. */
export type ServerMessage =
  | { type: 'data'; offset: number; bytes: Uint8Array }
  | { type: 'status'; status: TerminalStatus }
  | { type: 'error'; code: string; message: string }
  | { type: 'command'; command: string; exitCode: number | null; at: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function frame(type: ClientFrame, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(payload.length + 1);
  out[0] = type;
  out.set(payload, 1);
  return out;
}

const json = (type: ClientFrame, value: unknown) => frame(type, encoder.encode(JSON.stringify(value)));

export const encodeData = (input: string | Uint8Array) =>
  frame(ClientFrame.Data, typeof input === 'string' ? encoder.encode(input) : input);
export const encodeResize = (cols: number, rows: number) => json(ClientFrame.Resize, { cols, rows });
export const encodeAck = (seq: number) => json(ClientFrame.Ack, { seq });
export const encodeHello = (resumeFrom: number, size?: { cols: number; rows: number } | null) =>
  json(ClientFrame.Hello, size ? { resumeFrom, cols: size.cols, rows: size.rows } : { resumeFrom });

/** Decodes one server frame; throws on a frame this client does not understand (a protocol bug). */
export function decodeServerFrame(buffer: ArrayBuffer): ServerMessage {
  const bytes = new Uint8Array(buffer);
  if (bytes.length === 0) throw new Error('terminal protocol: empty frame');
  const type = bytes[0];
  if (type === ServerFrame.Data) {
    if (bytes.length < 9) throw new Error('terminal protocol: DATA frame shorter than its 8-byte offset');
    const offset = Number(new DataView(buffer, 1, 8).getBigUint64(0, false));
    return { type: 'data', offset, bytes: bytes.subarray(9) };
  }
  if (type !== ServerFrame.Status && type !== ServerFrame.Error && type !== ServerFrame.Command) {
    throw new Error(`terminal protocol: unknown frame type 0x${type!.toString(16)}`);
  }
  const body = JSON.parse(decoder.decode(bytes.subarray(1))) as Record<string, unknown>;
  switch (type) {
    case ServerFrame.Status:
      return { type: 'status', status: body as unknown as TerminalStatus };
    case ServerFrame.Error:
      return {
        type: 'error',
        code: String(body.code ?? 'ERROR'),
        message: String(body.message ?? 'The terminal failed.'),
      };
    case ServerFrame.Command:
      return {
        type: 'command',
        command: String(body.command ?? ''),
        exitCode: typeof body.exitCode === 'number' ? body.exitCode : null,
        at: String(body.at ?? ''),
      };
  }
}

/**
 * The part of a DATA frame not seen yet. A replay after a reconnect may overlap what the client
 * already has (drop the overlap) or start later than asked (the server's buffer moved on: take it).
 */
export function unseenPart(
  offset: number,
  bytes: Uint8Array,
  received: number,
): { bytes: Uint8Array; end: number } {
  const end = offset + bytes.length;
  if (end <= received) return { bytes: bytes.subarray(bytes.length), end: received };
  const skip = Math.max(0, received - offset);
  return { bytes: bytes.subarray(skip), end };
}
