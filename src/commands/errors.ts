/**
 * Error replies of the command layer. Texts copy Redis's own (server.c createSharedObjects,
 * networking.c, the command files), so clients and scripts that match on them keep working.
 */

/**
 * An error reply. `message` is the whole line without the leading '-' and the CRLF, with its
 * code: `ERR syntax error`, `WRONGTYPE Operation against ...`. Thrown by command handlers and
 * turned into the reply by the dispatcher.
 */
export class ReplyError extends Error {
  override readonly name = 'ReplyError';
  /** already counted in the error stats (ERR_REPLY_FLAG_NO_STATS_UPDATE): only failed_calls moves */
  noStatsUpdate = false;
}

/** Shared error lines (server.c createSharedObjects, 7.0). */
export const ERR = {
  WRONGTYPE: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  NOKEY: 'ERR no such key',
  SYNTAX: 'ERR syntax error',
  NOT_INTEGER: 'ERR value is not an integer or out of range',
  NOT_FLOAT: 'ERR value is not a valid float',
  OVERFLOW: 'ERR increment or decrement would overflow',
  OUT_OF_RANGE: 'ERR index out of range',
  DB_RANGE: 'ERR DB index is out of range',
  NOAUTH: 'NOAUTH Authentication required.',
  /** shared.loadingerr (server.c): a command without the "loading" flag while the dump loads */
  LOADING: 'LOADING Redis is loading the dataset in memory',
  WRONGPASS: 'WRONGPASS invalid username-password pair or user is disabled.',
  READONLY: "READONLY You can't write against a read only replica.",
  NOPASS:
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  POSITIVE: 'ERR value is out of range, must be positive',
  NAN_SCORE: 'ERR resulting score is not a number (NaN)',
  INCR_NAN: 'ERR increment would produce NaN or Infinity',
  HASH_NOT_INT: 'ERR hash value is not an integer',
  STRING_TOO_LONG: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  BUSY_EVAL: 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
  BUSY_FUNCTION: 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.',
} as const;

export function wrongArgs(name: string): ReplyError {
  return new ReplyError(`ERR wrong number of arguments for '${name}' command`);
}

export function invalidExpire(cmd: string): ReplyError {
  return new ReplyError(`ERR invalid expire time in '${cmd}' command`);
}

/** `-ERR unknown subcommand 'FOO'. Try OBJECT HELP.` (addReplySubcommandSyntaxError) */
export function unknownSubcommand(sub: Buffer, cmd: string): ReplyError {
  return new ReplyError(`ERR unknown subcommand '${printable(sub, 128)}'. Try ${cmd.toUpperCase()} HELP.`);
}

/** `%.Ns` of raw bytes as Redis prints them: the bytes as they are, cut at N. */
export function printable(b: Buffer, max: number): string {
  return b.toString('latin1', 0, Math.min(b.length, max));
}

/**
 * `ERR unknown command 'x', with args beginning with: 'a' 'b' ` (processCommand, server.c 7.0):
 * the name cut at 128 bytes, then quoted arguments while the list is shorter than 128 bytes.
 */
export function unknownCommand(argv: Buffer[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${printable(argv[i]!, 128 - args.length)}' `;
  }
  return `ERR unknown command '${printable(argv[0]!, 128)}', with args beginning with: ${args}`;
}
