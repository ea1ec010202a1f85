/** CLIENT TRACKINGINFO: flags, redirect, prefixes (networking.c 7.0). */
import { connOf, sessionOf, type Context } from './context.js';

export function handler(c: Context): void {
  const t = sessionOf(c).tracking;
  const w = c.reply;
  w.map(3);
  w.bulkStr('flags');
  const flags: string[] = [];
  if (t === null) flags.push('off');
  else {
    flags.push('on');
    if (t.bcast) flags.push('bcast');
    if (t.optin) flags.push('optin');
    if (t.optin && t.caching) flags.push('caching-yes');
    if (t.optout) flags.push('optout');
    if (t.optout && t.caching) flags.push('caching-no');
    if (t.noloop) flags.push('noloop');
    if (t.brokenRedir) flags.push('broken_redirect');
  }
  w.set(flags.length);
  for (const f of flags) w.bulkStr(f);
  w.bulkStr('redirect');
  w.int(t === null ? -1 : t.redirect);
  w.bulkStr('prefixes');
  // the connection's prefixes rax: in byte order
  const p = t?.bcast ? c.instance.tracking.prefixesOf(connOf(c)).sort() : [];
  w.array(p.length);
  for (const x of p) w.bulkStr(x);
}
