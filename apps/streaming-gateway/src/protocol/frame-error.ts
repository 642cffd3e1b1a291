import type { RequestId } from './client-frames';
import type { ServerErrorCode } from '@rebal/gateway-client';

/** Why a client frame was refused: the content of the `error` frame the server answers with. */
export interface FrameError {
  /** The error code. */
  readonly code: ServerErrorCode;
  /** Human-readable detail; never contains the token. */
  readonly message: string;
  /** The request id of the refused frame, when it had a valid one. */
  readonly id?: RequestId;
  /** The channel the error is about, for channel errors. */
  readonly channel?: string;
}
