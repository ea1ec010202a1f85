/** SETRANGE key offset value: the new length (setrangeCommand, t_string.c) */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';
import { ReplyError } from '../errors.js';
import { argInt } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const offset = argInt(argv[2]!);
  if (offset < 0) throw new ReplyError('ERR offset is out of range');
  c.w.int(apply.setRange(c.db, argv[1]!, offset, argv[3]!, c.server.limits.maxBulkLen));
}
