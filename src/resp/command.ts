/**
 * What a command file exports: its COMMAND INFO facts (name, arity, flags, key positions, ACL
 * categories as redis-server 7.0 reports them) and its handler. Handlers run synchronously to
 * completion and write their reply through the client's writer; a ReplyError thrown from one
 * becomes its error reply.
 */
import type { Client } from './client.js';

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
  /** COMMAND DOCS summary, since, group, complexity */
  summary: string;
  since: string;
  group: string;
  complexity?: string;
  /** subcommands, for containers (CLIENT, OBJECT, MEMORY, CONFIG, COMMAND, XINFO) */
  subcommands?: readonly CommandSpec[];
  handler: (c: Client, argv: Buffer[]) => void;
  /** resolved from `flags` once: a write (refused with --read-only), allowed before AUTH */
  write?: boolean;
  noAuth?: boolean;
}

/** Flags that matter to the dispatcher. */
export function isWrite(spec: CommandSpec): boolean {
  return spec.flags.includes('write');
}

export function isNoAuth(spec: CommandSpec): boolean {
  return spec.flags.includes('no_auth');
}

type Partial2 = Omit<CommandSpec, 'firstKey' | 'lastKey' | 'step' | 'categories' | 'since' | 'group' | 'summary'> &
  Partial<Pick<CommandSpec, 'firstKey' | 'lastKey' | 'step' | 'categories' | 'since' | 'group' | 'summary'>>;

/** A spec with the usual defaults (no keys; summary left empty). */
export function command(s: Partial2): CommandSpec {
  return {
    firstKey: 0,
    lastKey: 0,
    step: 0,
    categories: [],
    since: '1.0.0',
    group: 'generic',
    summary: '',
    ...s,
  };
}

/** A command whose first argument is its key (GET, TYPE, HGETALL ...). */
export function keyCommand(s: Partial2): CommandSpec {
  return command({ firstKey: 1, lastKey: 1, step: 1, ...s });
}
