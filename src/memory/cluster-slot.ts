/**
 * Cluster hash slots: keyHashSlot (cluster.c) over CRC16-XMODEM (crc16.c), with {hash tags}.
 */

export const CLUSTER_SLOTS = 16384;

const TABLE = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 8;
  for (let j = 0; j < 8; j++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  TABLE[i] = c;
}

/** crc16 (crc16.c): CRC16-CCITT/XMODEM, polynomial 0x1021, initial value 0. */
export function crc16(buf: Uint8Array, start = 0, end = buf.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ buf[i]!) & 0xff]!;
  return crc;
}

/** mirrors keyHashSlot (cluster.c): the part between the first '{' and the next '}' when non-empty. */
export function keyHashSlot(key: Uint8Array): number {
  return keyHashSlotFrom(key, key.indexOf(0x7b));
}

/** keyHashSlot when the first '{' of the key is known already (`open`, -1 for none). */
export function keyHashSlotFrom(key: Uint8Array, open: number): number {
  if (open >= 0) {
    const close = key.indexOf(0x7d, open + 1);
    if (close > open + 1) return crc16(key, open + 1, close) & (CLUSTER_SLOTS - 1);
  }
  return crc16(key) & (CLUSTER_SLOTS - 1);
}
