/**
 * Module type ids (module.c): a 64-bit id packs a 9-character type name (6 bits per character
 * from a 64-symbol charset) and a 10-bit encoding version.
 */
const CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Mirrors moduleTypeNameByID: the name and encoding version of a module type id. */
export function moduleNameFromId(id: bigint): { name: string; version: number } {
  let name = '';
  for (let j = 0; j < 9; j++) {
    const shift = BigInt(64 - (j + 1) * 6);
    name += CHARSET[Number((id >> shift) & 63n)];
  }
  return { name, version: Number(id & 1023n) };
}
