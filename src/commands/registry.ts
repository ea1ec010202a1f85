/**
 * Finding a command: by its name (COMMAND INFO, the follower) or by argv[0]'s bytes in any
 * ASCII case (dispatch; lookup.ts's byte table, with the map as the fallback).
 */
import type { CommandSpec } from './spec.js';
import { COMMANDS } from './index.js';
import { findCommand } from './lookup.js';

interface Registry {
  list: readonly CommandSpec[];
  /** by lowercase and uppercase name */
  map: Map<string, CommandSpec>;
}

let registry: Registry | null = null;

/** built on first use: command files import this module and index.ts imports them */
function reg(): Registry {
  if (registry === null) {
    const map = new Map<string, CommandSpec>();
    for (const spec of COMMANDS) {
      map.set(spec.name, spec);
      map.set(spec.name.toUpperCase(), spec);
    }
    registry = { list: COMMANDS, map };
  }
  return registry;
}

/** every command served, once (COMMAND, COMMAND COUNT) */
export function commandList(): readonly CommandSpec[] {
  return reg().list;
}

/** the top-level command of this lowercase (or uppercase) name */
export function commandNamed(name: string): CommandSpec | undefined {
  return reg().map.get(name);
}

/** a command or `container|subcommand` by its full lowercase name (lookupCommandBySds) */
export function commandByFullName(name: string): CommandSpec | undefined {
  const bar = name.indexOf('|');
  if (bar < 0) return reg().map.get(name);
  return reg().map.get(name.slice(0, bar))?.subcommands?.find((s) => s.name === name);
}

/** the top-level command argv[0] names, in any ASCII case (lookupCommand, server.c) */
export function lookupCommand(a0: Buffer): CommandSpec | undefined {
  const map = reg().map;
  const spec = findCommand(map, a0);
  if (spec !== undefined) return spec;
  const name = a0.latin1Slice(0, a0.length);
  return map.get(name) ?? map.get(name.toLowerCase());
}
