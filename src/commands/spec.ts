/**
 * What the command table holds per command: its COMMAND INFO facts (name, arity, flags, key
 * positions, ACL categories as redis-server 7.0.15 reports them, src/commands/command-info.ts)
 * and its handler. Handlers run synchronously to completion and write their reply to the
 * context's sink; a ReplyError (or EngineError) thrown from one becomes its error reply.
 */
import type { Context } from './context.js';
import type { KeySpec } from './command-info.js';

export type Handler = (c: Context, argv: Buffer[]) => void;

export interface CommandSpec {
  /** lowercase, as COMMAND INFO names it (subcommands: 'client|setname') */
  name: string;
  /** Redis arity: exact when positive, a minimum when negative; argv[0] counts */
  arity: number;
  flags: readonly string[];
  firstKey: number;
  lastKey: number;
  step: number;
  categories: readonly string[];
  /** COMMAND INFO's tips and key specs */
  tips: readonly string[];
  keySpecs: readonly KeySpec[];
  /** subcommands, for containers (CLIENT, OBJECT, MEMORY, CONFIG, COMMAND, XINFO) */
  subcommands?: readonly CommandSpec[];
  handler: Handler;
  /** resolved from `flags` once: a write (refused with --read-only and on a replica) */
  write: boolean;
  /** allowed before AUTH */
  noAuth: boolean;
  /** may use memory: refused with -OOM when over maxmemory and nothing can be evicted */
  denyoom?: boolean;
}
