/**
 * The error a live source throws: a stable code and the source (its URL without the password)
 * in the message. Expected failures (unreachable, refused, no permission) print as one line.
 */

export type LiveSourceErrorCode =
  /** the URL or one of its parameters */
  | 'bad_url'
  /** TCP/TLS connection or the server went away */
  | 'connect'
  /** AUTH refused */
  | 'auth'
  /** the ACL user lacks a command the source needs */
  | 'noperm'
  /** a DUMP payload this parser cannot read, or a damaged one */
  | 'payload'
  /** Redis Cluster discovery */
  | 'cluster'
  /** any other error reply */
  | 'server';

export class LiveSourceError extends Error {
  override readonly name = 'LiveSourceError';
  constructor(
    readonly code: LiveSourceErrorCode,
    message: string,
  ) {
    super(message);
  }
}
