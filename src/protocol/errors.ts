/** Errors of the RESP wire format (request decoding). */

/** A malformed request: the reply is `-ERR Protocol error: <reason>` and the connection closes. */
export class RespProtocolError extends Error {
  override readonly name = 'RespProtocolError';
  constructor(
    /** the text after "Protocol error: " (networking.c addReplyError) */
    readonly reason: string,
    /** the short form Redis logs (setProtocolError) */
    readonly logReason: string,
  ) {
    super(`Protocol error: ${reason}`);
  }
}
