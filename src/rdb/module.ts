/**
 * Module values and module aux payloads (module.c, rdb.c): the type id of a value, then
 * opcodes to RDB_MODULE_OPCODE_EOF, read one per unit without the module's own loader.
 * Module type ids (module.c): a 64-bit id packs a 9-character type name (6 bits per character
 * from a 64-symbol charset) and a 10-bit encoding version.
 */
import { RDB_MODULE_OPCODE } from './constants.js';
import type { RdbParser } from './parser.js';

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

/** A module value or module aux payload: module id (values only), then opcodes to EOF. */
export function readModuleUnit(p: RdbParser): void {
  const rec = p.cur!;
  const aux = p.moduleAux;
  if (aux === null && p.phase === 0) {
    const id = p.readLenBig();
    const m = moduleNameFromId(id);
    p.moduleName = m.name;
    p.moduleVersion = m.version;
    p.phase = 1;
    return;
  }
  const at = p.offset;
  const op = p.readCount();
  switch (op) {
    case RDB_MODULE_OPCODE.EOF:
      if (aux) {
        p.finishModuleAux({ kind: 'module-aux', offset: aux.offset, moduleName: aux.name, moduleVersion: aux.version, when: aux.when });
        return;
      }
      rec.facts.module = { name: p.moduleName, version: p.moduleVersion };
      if (p.wantValues) rec.value = { type: 'module', value: null };
      p.finishKey(0);
      return;
    case RDB_MODULE_OPCODE.SINT:
    case RDB_MODULE_OPCODE.UINT:
      p.readLenBig();
      return;
    case RDB_MODULE_OPCODE.FLOAT:
      p.need(4);
      p.pos += 4;
      return;
    case RDB_MODULE_OPCODE.DOUBLE:
      p.need(8);
      p.pos += 8;
      return;
    case RDB_MODULE_OPCODE.STRING:
      p.readStringHeader();
      p.skipPayload();
      return;
    default:
      throw p.fail('corrupt_value', `unknown module opcode ${op} in module "${aux?.name ?? p.moduleName}"`, at);
  }
}
