import { TerminalError, TerminalErrorCode } from './terminal-error';

/** The WebSocket subprotocol of the terminal (server/README.md, section Terminal). */
export const TERMINAL_SUBPROTOCOL = 'netlab.terminal.v1';

/** Byte 0 of every frame. Client → server below 0x10, server → client DATA and from 0x10. */
export enum FrameType {
  DATA = 0x00,
  RESIZE = 0x01,
  ACK = 0x02,
  HELLO = 0x03,
  STATUS = 0x10,
  ERROR = 0x11,
  COMMAND = 0x12,
}

/** A terminal size in character cells. */
export interface TerminalSize {
  cols: number;
  rows: number;
}

/** A client frame, decoded and validated. */
export type ClientFrame =
  | { type: FrameType.DATA; data: Buffer }
  | { type: FrameType.RESIZE; size: TerminalSize }
  | { type: FrameType.ACK; seq: number }
  | { type: FrameType.HELLO; resumeFrom: number; size: TerminalSize | undefined };

/** What a STATUS frame says. */
export type TerminalStatus =
  | {
      state: 'attached' | 'read-only';
      /** Output offset the server has produced so far. */
      seq: number;
      /** Offset of the first DATA byte this connection gets (replay start). */
      from: number;
      /** False when the shell is new (the client clears its screen). */
      resumed: boolean;
    }
  | { state: 'exited'; exitCode: number | null; seq: number };

/** A line of the command log as a COMMAND frame carries it. */
export interface CommandFrame {
  command: string;
  exitCode: number | null;
  at: string;
}

const MAX_CONTROL = 256;
const MAX_SIZE = 1000;

/** Decodes one client frame; throws a TerminalError naming the problem. */
export function decodeClientFrame(frame: Buffer): ClientFrame {
  if (frame.length === 0) throw bad('an empty frame; byte 0 must be the frame type');
  const type = frame[0]!;
  const payload = frame.subarray(1);
  switch (type) {
    case FrameType.DATA:
      return { type, data: payload };
    case FrameType.RESIZE: {
      const body = json(payload, 'RESIZE');
      const size = sizeOf(body);
      if (!size) {
        throw new TerminalError(
          TerminalErrorCode.BAD_RESIZE,
          `RESIZE needs { cols, rows } as whole numbers from 1 to ${MAX_SIZE}, got ${show(payload)}`,
        );
      }
      return { type, size };
    }
    case FrameType.ACK: {
      const seq = json(payload, 'ACK').seq;
      if (!isOffset(seq))
        throw new TerminalError(
          TerminalErrorCode.BAD_ACK,
          `ACK needs { seq } as a whole number of bytes rendered, got ${show(payload)}`,
        );
      return { type, seq };
    }
    case FrameType.HELLO: {
      const body = json(payload, 'HELLO');
      if (!isOffset(body.resumeFrom))
        throw bad(`HELLO needs { resumeFrom } as a whole number (0 for a new screen), got ${show(payload)}`);
      const hasSize = body.cols !== undefined || body.rows !== undefined;
      const size = hasSize ? sizeOf(body) : undefined;
      if (hasSize && !size)
        throw new TerminalError(
          TerminalErrorCode.BAD_RESIZE,
          `HELLO's cols and rows must be whole numbers from 1 to ${MAX_SIZE}, got ${show(payload)}`,
        );
      return { type, resumeFrom: body.resumeFrom as number, size };
    }
    default:
      throw bad(`frame type 0x${type.toString(16).padStart(2, '0')} is not one of DATA, RESIZE, ACK, HELLO`);
  }
}

/** A DATA frame: 8-byte big-endian offset of the first byte, then the bytes. */
export function encodeData(offset: number, bytes: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(9 + bytes.length);
  frame[0] = FrameType.DATA;
  frame.writeBigUInt64BE(BigInt(offset), 1);
  bytes.copy(frame, 9);
  return frame;
}

/** A STATUS frame. */
export function encodeStatus(status: TerminalStatus): Buffer {
  return control(FrameType.STATUS, status);
}

/** An ERROR frame. */
export function encodeError(error: TerminalError): Buffer {
  return control(FrameType.ERROR, { code: error.code, message: error.message });
}

/** A COMMAND frame. */
export function encodeCommand(command: CommandFrame): Buffer {
  return control(FrameType.COMMAND, command);
}

function control(type: FrameType, body: object): Buffer {
  return Buffer.concat([Buffer.from([type]), Buffer.from(JSON.stringify(body), 'utf8')]);
}

function json(payload: Buffer, what: string): Record<string, unknown> {
  if (payload.length > MAX_CONTROL) throw bad(`${what} is ${payload.length} bytes; at most ${MAX_CONTROL}`);
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    throw bad(`${what} must carry a JSON object, got ${show(payload)}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw bad(`${what} must carry a JSON object, got ${show(payload)}`);
  return body as Record<string, unknown>;
}

function sizeOf(body: Record<string, unknown>): TerminalSize | undefined {
  const { cols, rows } = body;
  const ok = (n: unknown): n is number =>
    Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_SIZE;
  return ok(cols) && ok(rows) ? { cols, rows } : undefined;
}

function isOffset(n: unknown): n is number {
  return Number.isSafeInteger(n) && (n as number) >= 0;
}

function show(payload: Buffer): string {
  const text = payload.subarray(0, 80).toString('utf8');
  return JSON.stringify(payload.length > 80 ? `${text}…` : text);
}

function bad(message: string): TerminalError {
  return new TerminalError(TerminalErrorCode.BAD_FRAME, message);
}
