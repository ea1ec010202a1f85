/** sha1hex (eval.c): the lowercase hex SHA-1 Redis names scripts by. */
import { createHash } from 'node:crypto';

export function sha1hex(data: Uint8Array | string): string {
  return createHash('sha1').update(data).digest('hex');
}
