import { describe, expect, it } from 'vitest';
import { encodeFrame, FLAG_FIN, SpdyFrameReader, SpdyRstStatus, type SpdyFrame } from './spdy-frame.codec';
import { SpdyHeaderDeflater, SpdyHeaderInflater, type SpdyHeaders } from './spdy-header-block';
import { DEFAULT_SESSION_LIMITS, SpdySession, type SpdyStream, type SpdyTransport } from './spdy-session';

/** A transport that records what the session sends, and a client side that speaks to it. */
function aPeer(limits = DEFAULT_SESSION_LIMITS) {
  const sent: Buffer[] = [];
  const state = { ended: false, paused: false, buffered: 0 };
  const transport: SpdyTransport = {
    write: (b) => void sent.push(b),
    get buffered() {
      return state.buffered;
    },
    pause: () => void (state.paused = true),
    resume: () => void (state.paused = false),
    end: () => void (state.ended = true),
  };
  const streams: SpdyStream[] = [];
  const sut = new SpdySession(transport, (s) => streams.push(s), limits);
  const deflater = new SpdyHeaderDeflater();
  const inflater = new SpdyHeaderInflater();
  const reader = new SpdyFrameReader();
  const settle = () => new Promise((r) => setTimeout(r, 20));
  return {
    sut,
    streams,
    state,
    /** Opens a stream as kubectl does. */
    async open(id: number, headers: SpdyHeaders, flags = 0) {
      const headerBlock = await deflater.encode(headers);
      sut.receive(
        encodeFrame({ type: 'syn_stream', streamId: id, associatedTo: 0, priority: 0, flags, headerBlock }),
      );
      await settle();
    },
    async send(frame: SpdyFrame) {
      sut.receive(encodeFrame(frame));
      await settle();
    },
    /** Frames the session sent so far, reply headers inflated. */
    async received(): Promise<(SpdyFrame & { headers?: SpdyHeaders })[]> {
      const frames = reader.push(Buffer.concat(sent.splice(0)));
      const out = [];
      for (const f of frames)
        out.push(f.type === 'syn_reply' ? { ...f, headers: await inflater.decode(f.headerBlock) } : f);
      return out;
    },
  };
}

describe(SpdySession.name, () => {
  it('should answer SYN_REPLY and hand over the stream with its headers when the client opens one', async () => {
    const peer = aPeer();
    await peer.open(1, { streamtype: ['error'], port: ['80'], requestid: ['0'] });
    await peer.open(3, { streamtype: ['data'], port: ['80'], requestid: ['0'] });
    expect(peer.streams.map((s) => [s.id, s.header('streamtype')])).toEqual([
      [1, 'error'],
      [3, 'data'],
    ]);
    const got = await peer.received();
    expect(got.map((f) => [f.type, 'streamId' in f ? f.streamId : 0, f.headers])).toEqual([
      ['syn_reply', 1, {}],
      ['syn_reply', 3, {}],
    ]);
  });

  it('should carry data both ways and pass on FIN when the client half-closes', async () => {
    const peer = aPeer();
    await peer.open(1, { streamtype: ['data'] });
    const stream = peer.streams[0]!;
    const seen: string[] = [];
    stream.onData((b) => seen.push(b.toString()));
    stream.onEnd(() => seen.push('<eof>'));
    await peer.send({ type: 'data', streamId: 1, flags: 0, data: Buffer.from('GET /') });
    await peer.send({ type: 'data', streamId: 1, flags: FLAG_FIN, data: Buffer.from(' HTTP/1.1') });
    expect(seen).toEqual(['GET /', ' HTTP/1.1', '<eof>']);
    stream.write(Buffer.from('answer'));
    stream.end();
    await new Promise((r) => setTimeout(r, 20));
    const got = (await peer.received()).filter((f) => f.type === 'data');
    expect(got).toEqual([
      { type: 'data', streamId: 1, flags: 0, data: Buffer.from('answer') },
      { type: 'data', streamId: 1, flags: FLAG_FIN, data: Buffer.alloc(0) },
    ]);
    expect(peer.sut.openStreams).toBe(0);
  });

  it('should echo a ping when the client sends one', async () => {
    const peer = aPeer();
    await peer.send({ type: 'ping', id: 7 });
    expect(await peer.received()).toEqual([{ type: 'ping', id: 7 }]);
  });

  it('should refuse a stream with REFUSED_STREAM when the session holds its maximum', async () => {
    const peer = aPeer({ ...DEFAULT_SESSION_LIMITS, maxStreams: 1 });
    await peer.open(1, {});
    await peer.open(3, {});
    const got = await peer.received();
    expect(got.at(-1)).toEqual({ type: 'rst_stream', streamId: 3, status: SpdyRstStatus.REFUSED_STREAM });
    expect(peer.streams).toHaveLength(1);
  });

  it('should refuse a stream with PROTOCOL_ERROR when its ID is even or goes backwards', async () => {
    const peer = aPeer();
    await peer.open(5, {});
    await peer.open(2, {});
    await peer.open(3, {});
    const resets = (await peer.received()).filter((f) => f.type === 'rst_stream');
    expect(resets).toEqual([
      { type: 'rst_stream', streamId: 2, status: SpdyRstStatus.PROTOCOL_ERROR },
      { type: 'rst_stream', streamId: 3, status: SpdyRstStatus.PROTOCOL_ERROR },
    ]);
  });

  it('should send GOAWAY, end the transport and abort its streams when a frame is malformed', async () => {
    const peer = aPeer();
    await peer.open(1, {});
    let reset = false;
    peer.streams[0]!.onReset(() => (reset = true));
    peer.sut.receive(Buffer.from([0x80, 0x03, 0x00, 0x06, 0, 0, 0, 3, 1, 2, 3]));
    await new Promise((r) => setTimeout(r, 20));
    expect((await peer.received()).at(-1)).toEqual({ type: 'goaway', lastGoodStreamId: 1, status: 1 });
    expect(peer.state.ended).toBe(true);
    expect(reset).toBe(true);
  });

  it('should end the session when the client stops reading and the queue passes its bound', async () => {
    const peer = aPeer({ ...DEFAULT_SESSION_LIMITS, maxBufferedBytes: 1024 });
    await peer.open(1, {});
    peer.state.buffered = 1000;
    peer.streams[0]!.write(Buffer.alloc(100));
    await new Promise((r) => setTimeout(r, 20));
    expect(peer.state.ended).toBe(true);
  });

  it('should pause the transport when frames arrive faster than it handles them', async () => {
    const peer = aPeer({ ...DEFAULT_SESSION_LIMITS, maxPendingFrames: 4 });
    const pings = Buffer.concat(
      Array.from({ length: 10 }, (_, i) => encodeFrame({ type: 'ping', id: 2 * i + 1 })),
    );
    peer.sut.receive(pings);
    expect(peer.state.paused).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(peer.state.paused).toBe(false);
    expect(await peer.received()).toHaveLength(10);
  });
});
