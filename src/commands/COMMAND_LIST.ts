/**
 * COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern] (commandListCommand,
 * server.c 7.0): the served commands, each followed by its subcommands (`config|get` ...). No
 * module is loaded, so MODULE matches nothing; an unknown category matches nothing.
 */
import { commandList } from './registry.js';
import type { Context } from './context.js';
import type { CommandSpec } from './spec.js';
import { ReplyError, ERR } from './errors.js';
import { is } from './_util.js';
import { compileGlob } from '../rdb/glob.js';

export function handler(c: Context, argv: Buffer[]): void {
  let keep: ((s: CommandSpec) => boolean) | null = null;
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (!(is(argv[i]!, 'FILTERBY') && more === 2)) throw new ReplyError(ERR.SYNTAX);
    const type = argv[i + 1]!;
    const arg = argv[i + 2]!;
    if (is(type, 'MODULE')) keep = () => false;
    else if (is(type, 'ACLCAT')) {
      const cat = `@${arg.toString('latin1').toLowerCase()}`;
      keep = (s) => s.categories.includes(cat);
    } else if (is(type, 'PATTERN')) {
      const match = compileGlob(arg, true);
      keep = (s) => match(Buffer.from(s.name, 'latin1'));
    } else throw new ReplyError(ERR.SYNTAX);
    i += 2;
  }
  const names: string[] = [];
  const walk = (specs: readonly CommandSpec[]): void => {
    for (const s of specs) {
      if (keep === null || keep(s)) names.push(s.name);
      if (s.subcommands) walk(s.subcommands);
    }
  };
  walk(commandList());
  c.reply.array(names.length);
  for (const n of names) c.reply.bulkStr(n);
}
