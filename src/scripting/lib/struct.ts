import { lua, type LuaState } from '../lua.js';

export function openStruct(L: LuaState): number {
  lua.lua_newtable(L);
  return 1;
}
