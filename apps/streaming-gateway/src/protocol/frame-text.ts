import * as ws from 'ws';

/** A frame framed once for many sockets: the whole WebSocket frame, and its payload alone. */
export class FramedText {
  private joinedWith?: FramedText;
  private joined?: Buffer;

  constructor(
    /** Header and payload: a complete, unmasked, final frame, written as is to each socket. */
    readonly frame: Buffer,
    /** The payload (a view into `frame`), for a socket that must go through ws's own sender. */
    readonly payload: Buffer,
  ) {}

  /** This frame then `next` in one buffer (made once per `next`: the sockets that get both share it). */
  followedBy(next: FramedText): Buffer {
    if (this.joinedWith !== next || this.joined === undefined) {
      this.joined = Buffer.concat([this.frame, next.frame]);
      this.joinedWith = next;
    }
    return this.joined;
  }
}

/** ws's `Sender.frame` options (ws 8, `lib/sender.js`); @types/ws does not declare `Sender`. */
interface SenderFrameOptions {
  readonly fin: boolean;
  readonly opcode: number;
  readonly mask: boolean;
  readonly readOnly: boolean;
  readonly rsv1: boolean;
}

const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: SenderFrameOptions): Buffer[] } };

/** A final, unmasked (server to client), uncompressed text frame whose payload ws may not modify. */
const TEXT_FRAME: SenderFrameOptions = { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false };
/** The same for a ping (a control frame: payload at most 125 bytes). */
const PING_FRAME: SenderFrameOptions = { ...TEXT_FRAME, opcode: 9 };

/**
 * Frames `text` once as a WebSocket text frame with ws's own `Sender.frame`, for every socket
 * it goes to (see `GatewaySocket.writeRaw`): the header and the UTF-8 payload in one buffer,
 * so each socket gets one write.
 */
export function frameText(text: string): FramedText {
  return frameOnce(Buffer.from(text, 'utf8'), TEXT_FRAME);
}

/** Frames a ping carrying `payload` (at most 125 bytes) once, for every socket pinged with it. */
export function framePing(payload: string): FramedText {
  return frameOnce(Buffer.from(payload, 'latin1'), PING_FRAME);
}

let lastPing = { round: 0, frame: framePing('0') };

/** The ping of heartbeat round `round` (its number as payload): framed once for every connection pinged in that round. */
export function heartbeatPing(round: number): FramedText {
  if (lastPing.round !== round) lastPing = { round, frame: framePing(String(round)) };
  return lastPing.frame;
}

function frameOnce(data: Buffer, options: SenderFrameOptions): FramedText {
  const parts = Sender.frame(data, options);
  const frame = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  const headerLength = parts.length === 1 ? frame.length : parts[0].length;
  return new FramedText(frame, frame.subarray(headerLength));
}
