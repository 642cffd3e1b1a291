import WebSocket from 'ws';
import type { BenchClient, ClientEvents } from './client-driver';
import { readPublishedUs } from './monotonic-clock';

/** What a frame received before the connection is ready means. */
export type HandshakeStep = { readonly send: string } | { readonly ready: true } | { readonly fail: Error } | undefined;

/** How a plain WebSocket becomes ready to count deliveries. */
export interface Handshake {
  /** Sent as soon as the socket opens; without it the connection is ready on open. */
  readonly hello?: string;
  /** Reads each frame received before ready (default: none arrive). */
  readonly onFrame?: (data: Buffer) => HandshakeStep;
  /** Says what the connection was waiting for, in the error when it closes before ready. */
  readonly waitingFor: string;
}

/**
 * Opens one benchmark connection over plain `ws`: runs the handshake, then counts every frame
 * carrying a publish stamp as a delivery and reports a close it did not ask for as lost.
 * Resolves once ready; rejects when refused or closed first.
 */
export function openBenchSocket(url: string, events: ClientEvents, handshake: Handshake): Promise<BenchClient> {
  return new Promise<BenchClient>((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let ready = false;
    let closing = false;
    const client: BenchClient = {
      close: () =>
        new Promise<void>((done) => {
          closing = true;
          if (ws.readyState === WebSocket.CLOSED) return done();
          ws.once('close', () => done());
          ws.close(1000);
        }),
    };
    const becomeReady = () => {
      ready = true;
      resolve(client);
    };
    ws.on('open', () => {
      if (handshake.hello === undefined) becomeReady();
      else ws.send(handshake.hello);
    });
    ws.on('message', (data: Buffer) => {
      if (ready) {
        const publishedUs = readPublishedUs(data);
        if (publishedUs >= 0) events.delivered(publishedUs, data.length);
        return;
      }
      const step = handshake.onFrame?.(data);
      if (step === undefined) return;
      if ('send' in step) ws.send(step.send);
      else if ('ready' in step) becomeReady();
      else {
        reject(step.fail);
        ws.terminate();
      }
    });
    ws.on('error', (error) => {
      if (!ready) reject(error);
    });
    ws.on('close', (code) => {
      if (!ready) reject(new Error(`closed with ${code} before ${handshake.waitingFor}`));
      else if (!closing) events.lost(String(code));
    });
  });
}
