/**
 * A dump whose key names attack the presenters: spreadsheet formulas, control characters,
 * HTML and script breakouts, invalid UTF-8, Excel's `_xHHHH_` escapes. Written by a real
 * redis-server (SET / HSET / EXPIRE, then SAVE).
 */
import { copyFile } from 'node:fs/promises';
import { startRedis } from './redis-server.js';

/** The hostile names (bytes), each also with a `:1`/`:2` suffix so that it becomes a prefix. */
export const HOSTILE_KEYS: Buffer[] = [
  '=HYPERLINK("http://example.invalid","x")',
  '+1+1',
  '-2-2',
  '@SUM(A1:A2)',
  '\tTAB',
  '\uFF1Dfullwidth',
  'ctl\x01\x02\x1b[31mred\x7f',
  'line\nbreak\rcr',
  '</script><script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=2">',
  '<!--<script>',
  '"quote\'apos\\back`tick${x}',
  '_x0041_',
  'ключ:名前:🚀',
].map((s) => Buffer.from(s, 'utf8'));

/** Non-UTF-8 bytes and a NUL. */
export const BINARY_KEY = Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff, 0xfe, 0x00, 0x3c, 0x2f, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0x3e]);

/** Make the dump at `out`. */
export async function makeHostileDump(out: string): Promise<void> {
  const r = await startRedis();
  try {
    let i = 0;
    for (const k of [...HOSTILE_KEYS, BINARY_KEY]) {
      i++;
      await r.command('SET', k, 'v'.repeat(10 * i));
      for (const sfx of [':1', ':2']) {
        const key = Buffer.concat([k, Buffer.from(sfx)]);
        await r.command('HSET', key, 'field', 'x'.repeat(20 * i), 'other', String(i));
        if (sfx === ':2') await r.command('PEXPIREAT', key, String(Date.UTC(2030, 0, 1) + i * 3_600_000));
      }
    }
    await copyFile(await r.save(), out);
  } finally {
    await r.stop();
  }
}
