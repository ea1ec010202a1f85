/**
 * A dump key's value as a live container (src/engine/types/), its memory model set up the
 * way the server lays the value out after loading it (quicklist nodes as stored, tables
 * pre-sized for their elements).
 */
import type { KeyRecord } from '../rdb/records.js';
import { QUICKLIST_NODE_CONTAINER_PLAIN } from '../rdb/constants.js';
import { STR_EMBSTR, STR_INT, STR_RAW } from '../memory/live/string.js';
import { ENC_HASHTABLE, ENC_INTSET, ENC_LISTPACK } from '../memory/live/collections.js';
import { Dict } from '../memory/dict.js';
import { sdsSize } from '../memory/sds.js';
import { INTSET_WIDTH } from '../rdb/facts.js';
import { intClassOfBytes, lpSizeOf } from '../memory/live/listpack.js';
import { Env, LiveValue, latin1Key } from './types/generic.js';
import { HashValue } from './types/hash.js';
import { ListValue } from './types/list.js';
import { SetValue } from './types/set.js';
import { StreamValue } from './types/stream.js';
import { StringValue } from './types/string.js';
import { ZsetValue } from './types/zset.js';
import { cgroupsFromRdb } from './types/stream-cgroups.js';
import { cmpId, idFromText, u64Part } from './types/stream.js';

/**
 * Build the container for a record read with its value. `encoding` is OBJECT ENCODING after
 * load (the keyspace's), which decides the layout. Returns null for module values.
 */
export function valueFromRecord(rec: KeyRecord, encoding: string, env: Env): LiveValue | null {
  const v = rec.value;
  if (!v) return null;
  switch (v.type) {
    case 'string': {
      const enc = encoding === 'int' ? STR_INT : encoding === 'embstr' ? STR_EMBSTR : STR_RAW;
      return new StringValue(Buffer.from(v.value), env, enc);
    }
    case 'list': {
      const l = new ListValue(env);
      for (const e of v.value) l.items.pushTail(e);
      const nodes = rec.facts.nodes;
      if (nodes && nodes.length > 0) {
        l.loadNodes(
          nodes.map((n) => ({
            entries: n.entries,
            bytes: n.container === QUICKLIST_NODE_CONTAINER_PLAIN ? n.blobBytes : env.f.listpack ? n.listpackBytes : n.blobBytes,
            plain: n.container === QUICKLIST_NODE_CONTAINER_PLAIN,
          })),
          encoding === 'listpack',
        );
      } else {
        // pushed one by one on load (linked lists, old ziplist lists)
        l.mem.clear();
        l.mem.listpack = false;
        for (const e of v.value) l.mem.push(true, e.length, lpSizeOf(e));
        if (encoding === 'listpack') l.mem.afterShrink();
      }
      return l;
    }
    case 'set': {
      const s = new SetValue(env);
      for (const m of v.value) s.set.add(latin1Key(m));
      const mem = s.mem;
      if (encoding === 'intset') {
        mem.enc = ENC_INTSET;
        mem.intsetWidth = 2;
        for (const m of v.value) mem.intsetWidth = Math.max(mem.intsetWidth, INTSET_WIDTH[intClassOfBytes(m)]!);
      } else if (encoding === 'listpack') {
        mem.enc = ENC_LISTPACK;
        let bytes = 7;
        for (const m of v.value) bytes += lpSizeOf(m);
        mem.lpBytes = bytes;
      } else {
        mem.dict = Dict.presized(s.set.size, env.f.expandNeverShrinks);
        mem.sdsSum = 0;
        for (const m of v.value) mem.sdsSum += sdsSize(m.length, env.f);
        mem.enc = ENC_HASHTABLE;
      }
      return s;
    }
    case 'zset':
      return ZsetValue.load(env, v.value, encoding);
    case 'hash': {
      const h = new HashValue(env);
      for (const e of v.value) h.map.set(latin1Key(e.field), e.value);
      if (encoding === 'hashtable') {
        h.mem.dict = Dict.presized(h.map.size, env.f.expandNeverShrinks);
        h.mem.sdsSum = 0;
        for (const e of v.value) h.mem.sdsSum += sdsSize(e.field.length, env.f) + sdsSize(e.value.length, env.f);
        h.mem.enc = ENC_HASHTABLE;
      } else {
        let bytes = 7;
        for (const e of v.value) bytes += lpSizeOf(e.field) + lpSizeOf(e.value);
        h.mem.lpBytes = bytes;
      }
      return h;
    }
    case 'stream': {
      const s = new StreamValue(env);
      const sv = v.value;
      const facts = rec.facts.stream;
      for (const e of sv.entries) {
        const id = idFromText(e.id);
        s.entries.push({ ms: id.ms, seq: id.seq, fields: e.fields });
      }
      s.last = idFromText(sv.lastId);
      if (sv.firstId) s.first = idFromText(sv.firstId);
      else if (s.entries[0]) s.first = { ms: s.entries[0].ms, seq: s.entries[0].seq };
      if (sv.maxDeletedId) s.maxDeleted = idFromText(sv.maxDeletedId);
      s.entriesAdded = sv.entriesAdded ?? sv.length;
      s.groups = cgroupsFromRdb(s, sv.groups, sv.entriesAdded === null);
      if (facts) {
        // nodes as stored: live entries fall in [master_i, master_i+1)
        let k = 0;
        for (let i = 0; i < facts.nodes; i++) {
          const ms = u64Part(facts.nodeKeys.readBigUInt64BE(i * 16));
          const seq = u64Part(facts.nodeKeys.readBigUInt64BE(i * 16 + 8));
          const lastNode = i + 1 >= facts.nodes;
          const nextMs = lastNode ? 0 : u64Part(facts.nodeKeys.readBigUInt64BE((i + 1) * 16));
          const nextSeq = lastNode ? 0 : u64Part(facts.nodeKeys.readBigUInt64BE((i + 1) * 16 + 8));
          let live = 0;
          const firstEntry = s.entries[k];
          while (k < s.entries.length) {
            const e = s.entries[k]!;
            if (lastNode || cmpId(e.ms, e.seq, nextMs, nextSeq) < 0) {
              live++;
              k++;
            } else break;
          }
          const master = sv.nodes?.[i];
          let masterFields: Buffer[] = [];
          if (master) masterFields = master.fields;
          else if (firstEntry) for (let j = 0; j < firstEntry.fields.length; j += 2) masterFields.push(firstEntry.fields[j]!);
          s.mem.addLoadedNode(ms, seq, masterFields, live, facts.nodeBytes[i] ?? 0, master ? master.deleted : 0);
        }
        s.mem.finishLoad();
      }
      return s;
    }
    case 'module':
      return null;
  }
}
