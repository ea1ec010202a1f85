/**
 * The command table: every command file's handler, with the COMMAND INFO facts redis-server
 * 7.0.15 reports for it (src/commands/command-info.ts holds every 7.0.15 command's). A new
 * command: its file here (`export function handler(c: Context, argv: Buffer[])`) and one line below.
 */
import type { CommandSpec, Handler } from './spec.js';
import { COMMAND_INFO, type CommandInfo } from './command-info.js';
import { DATA_COMMANDS } from './index-data.js';
import { handler as EVAL } from './EVAL.js';
import { handler as EVALSHA } from './EVALSHA.js';
import { handler as EVAL_RO } from './EVAL_RO.js';
import { handler as EVALSHA_RO } from './EVALSHA_RO.js';
import { handler as FCALL } from './FCALL.js';
import { handler as FCALL_RO } from './FCALL_RO.js';
import { handler as FUNCTION_DELETE } from './FUNCTION_DELETE.js';
import { handler as FUNCTION_DUMP } from './FUNCTION_DUMP.js';
import { handler as FUNCTION_FLUSH } from './FUNCTION_FLUSH.js';
import { handler as FUNCTION_HELP } from './FUNCTION_HELP.js';
import { handler as FUNCTION_KILL } from './FUNCTION_KILL.js';
import { handler as FUNCTION_LIST } from './FUNCTION_LIST.js';
import { handler as FUNCTION_LOAD } from './FUNCTION_LOAD.js';
import { handler as FUNCTION_RESTORE } from './FUNCTION_RESTORE.js';
import { handler as FUNCTION_STATS } from './FUNCTION_STATS.js';
import { handler as SCRIPT_DEBUG } from './SCRIPT_DEBUG.js';
import { handler as SCRIPT_EXISTS } from './SCRIPT_EXISTS.js';
import { handler as SCRIPT_FLUSH } from './SCRIPT_FLUSH.js';
import { handler as SCRIPT_HELP } from './SCRIPT_HELP.js';
import { handler as SCRIPT_KILL } from './SCRIPT_KILL.js';
import { handler as SCRIPT_LOAD } from './SCRIPT_LOAD.js';
import { handler as APPEND } from './APPEND.js';
import { handler as AUTH } from './AUTH.js';
import { handler as CLIENT_GETNAME } from './CLIENT_GETNAME.js';
import { handler as CLIENT_HELP } from './CLIENT_HELP.js';
import { handler as CLIENT_ID } from './CLIENT_ID.js';
import { handler as CLIENT_INFO } from './CLIENT_INFO.js';
import { handler as CLIENT_LIST } from './CLIENT_LIST.js';
import { handler as CLIENT_SETNAME } from './CLIENT_SETNAME.js';
import { handler as COMMAND } from './COMMAND.js';
import { handler as COMMAND_COUNT } from './COMMAND_COUNT.js';
import { handler as COMMAND_DOCS } from './COMMAND_DOCS.js';
import { handler as COMMAND_GETKEYS } from './COMMAND_GETKEYS.js';
import { handler as COMMAND_GETKEYSANDFLAGS } from './COMMAND_GETKEYSANDFLAGS.js';
import { handler as COMMAND_HELP } from './COMMAND_HELP.js';
import { handler as COMMAND_INFO_SUB } from './COMMAND_INFO.js';
import { handler as COMMAND_LIST } from './COMMAND_LIST.js';
import { handler as CONFIG_GET } from './CONFIG_GET.js';
import { handler as CONFIG_HELP } from './CONFIG_HELP.js';
import { handler as CONFIG_SET } from './CONFIG_SET.js';
import { handler as DBSIZE } from './DBSIZE.js';
import { handler as DECR } from './DECR.js';
import { handler as DECRBY } from './DECRBY.js';
import { handler as DEL } from './DEL.js';
import { handler as ECHO } from './ECHO.js';
import { handler as EXISTS } from './EXISTS.js';
import { handler as EXPIRE } from './EXPIRE.js';
import { handler as EXPIREAT } from './EXPIREAT.js';
import { handler as EXPIRETIME } from './EXPIRETIME.js';
import { handler as FLUSHALL } from './FLUSHALL.js';
import { handler as FLUSHDB } from './FLUSHDB.js';
import { handler as GET } from './GET.js';
import { handler as GETSET } from './GETSET.js';
import { handler as HDEL } from './HDEL.js';
import { handler as HELLO } from './HELLO.js';
import { handler as HEXISTS } from './HEXISTS.js';
import { handler as HGET } from './HGET.js';
import { handler as HGETALL } from './HGETALL.js';
import { handler as HINCRBY } from './HINCRBY.js';
import { handler as HKEYS } from './HKEYS.js';
import { handler as HLEN } from './HLEN.js';
import { handler as HMGET } from './HMGET.js';
import { handler as HMSET } from './HMSET.js';
import { handler as HSCAN } from './HSCAN.js';
import { handler as HSET } from './HSET.js';
import { handler as HVALS } from './HVALS.js';
import { handler as INCR } from './INCR.js';
import { handler as INCRBY } from './INCRBY.js';
import { handler as INFO_CMD } from './INFO.js';
import { handler as KEYS } from './KEYS.js';
import { handler as LASTSAVE } from './LASTSAVE.js';
import { handler as SAVE } from './SAVE.js';
import { handler as BGSAVE } from './BGSAVE.js';
import { handler as SHUTDOWN } from './SHUTDOWN.js';
import { handler as LINDEX } from './LINDEX.js';
import { handler as LLEN } from './LLEN.js';
import { handler as LPOP } from './LPOP.js';
import { handler as LPUSH } from './LPUSH.js';
import { handler as LRANGE } from './LRANGE.js';
import { handler as LTRIM } from './LTRIM.js';
import { handler as MEMORY_DOCTOR } from './MEMORY_DOCTOR.js';
import { handler as MEMORY_HELP } from './MEMORY_HELP.js';
import { handler as MEMORY_MALLOC_STATS } from './MEMORY_MALLOC_STATS.js';
import { handler as MEMORY_PURGE } from './MEMORY_PURGE.js';
import { handler as MEMORY_STATS } from './MEMORY_STATS.js';
import { handler as MEMORY_USAGE } from './MEMORY_USAGE.js';
import { handler as MGET } from './MGET.js';
import { handler as MSET } from './MSET.js';
import { handler as OBJECT_ENCODING } from './OBJECT_ENCODING.js';
import { handler as OBJECT_FREQ } from './OBJECT_FREQ.js';
import { handler as OBJECT_HELP } from './OBJECT_HELP.js';
import { handler as OBJECT_IDLETIME } from './OBJECT_IDLETIME.js';
import { handler as OBJECT_REFCOUNT } from './OBJECT_REFCOUNT.js';
import { handler as PERSIST } from './PERSIST.js';
import { handler as PEXPIRE } from './PEXPIRE.js';
import { handler as PEXPIREAT } from './PEXPIREAT.js';
import { handler as PEXPIRETIME } from './PEXPIRETIME.js';
import { handler as PING } from './PING.js';
import { handler as PSETEX } from './PSETEX.js';
import { handler as PTTL } from './PTTL.js';
import { handler as QUIT } from './QUIT.js';
import { handler as RANDOMKEY } from './RANDOMKEY.js';
import { handler as RENAME } from './RENAME.js';
import { handler as RESET } from './RESET.js';
import { handler as RPOP } from './RPOP.js';
import { handler as RPUSH } from './RPUSH.js';
import { handler as SADD } from './SADD.js';
import { handler as SCAN } from './SCAN.js';
import { handler as SCARD } from './SCARD.js';
import { handler as SELECT } from './SELECT.js';
import { handler as SET } from './SET.js';
import { handler as SETEX } from './SETEX.js';
import { handler as SETNX } from './SETNX.js';
import { handler as SISMEMBER } from './SISMEMBER.js';
import { handler as SMEMBERS } from './SMEMBERS.js';
import { handler as SPOP } from './SPOP.js';
import { handler as SREM } from './SREM.js';
import { handler as SSCAN } from './SSCAN.js';
import { handler as STRLEN } from './STRLEN.js';
import { handler as TIME } from './TIME.js';
import { handler as TOUCH } from './TOUCH.js';
import { handler as TTL } from './TTL.js';
import { handler as TYPE } from './TYPE.js';
import { handler as UNLINK } from './UNLINK.js';
import { handler as XADD } from './XADD.js';
import { handler as XINFO_HELP } from './XINFO_HELP.js';
import { handler as XINFO_STREAM } from './XINFO_STREAM.js';
import { handler as XINFO_GROUPS } from './XINFO_GROUPS.js';
import { handler as XINFO_CONSUMERS } from './XINFO_CONSUMERS.js';
import { handler as XGROUP_CREATE } from './XGROUP_CREATE.js';
import { handler as XGROUP_SETID } from './XGROUP_SETID.js';
import { handler as XGROUP_DESTROY } from './XGROUP_DESTROY.js';
import { handler as XGROUP_CREATECONSUMER } from './XGROUP_CREATECONSUMER.js';
import { handler as XGROUP_DELCONSUMER } from './XGROUP_DELCONSUMER.js';
import { handler as XGROUP_HELP } from './XGROUP_HELP.js';
import { handler as XREADGROUP } from './XREADGROUP.js';
import { handler as XACK } from './XACK.js';
import { handler as XCLAIM } from './XCLAIM.js';
import { handler as XAUTOCLAIM } from './XAUTOCLAIM.js';
import { handler as XPENDING } from './XPENDING.js';
import { handler as XLEN } from './XLEN.js';
import { handler as XRANGE } from './XRANGE.js';
import { handler as ZADD } from './ZADD.js';
import { handler as ZCARD } from './ZCARD.js';
import { handler as ZINCRBY } from './ZINCRBY.js';
import { handler as ZRANGE } from './ZRANGE.js';
import { handler as ZRANK } from './ZRANK.js';
import { handler as ZREM } from './ZREM.js';
import { handler as ZREVRANGE } from './ZREVRANGE.js';
import { handler as ZSCAN } from './ZSCAN.js';
import { handler as ZSCORE } from './ZSCORE.js';
import { handler as ZPOPMIN } from './ZPOPMIN.js';
import { handler as ZPOPMAX } from './ZPOPMAX.js';
import { handler as LREM } from './LREM.js';
import { handler as LSET } from './LSET.js';
import { handler as LINSERT } from './LINSERT.js';
import { handler as LMOVE } from './LMOVE.js';
import { handler as RPOPLPUSH } from './RPOPLPUSH.js';
import { handler as LPUSHX } from './LPUSHX.js';
import { handler as RPUSHX } from './RPUSHX.js';
import { handler as SMOVE } from './SMOVE.js';
import { handler as HSETNX } from './HSETNX.js';
import { handler as MSETNX } from './MSETNX.js';
import { handler as SETRANGE } from './SETRANGE.js';
import { handler as RENAMENX } from './RENAMENX.js';
import { handler as GETDEL } from './GETDEL.js';
import { handler as GETEX } from './GETEX.js';
import { handler as ZREMRANGEBYSCORE } from './ZREMRANGEBYSCORE.js';
import { handler as ZREMRANGEBYRANK } from './ZREMRANGEBYRANK.js';
import { handler as ZREMRANGEBYLEX } from './ZREMRANGEBYLEX.js';
import { handler as XDEL } from './XDEL.js';
import { handler as XTRIM } from './XTRIM.js';
import { handler as INCRBYFLOAT } from './INCRBYFLOAT.js';
import { handler as HINCRBYFLOAT } from './HINCRBYFLOAT.js';
import { handler as SINTERSTORE } from './SINTERSTORE.js';
import { handler as SUNIONSTORE } from './SUNIONSTORE.js';
import { handler as SDIFFSTORE } from './SDIFFSTORE.js';
import { handler as ZUNIONSTORE } from './ZUNIONSTORE.js';
import { handler as ZINTERSTORE } from './ZINTERSTORE.js';
import { handler as COPY } from './COPY.js';
import { handler as SWAPDB } from './SWAPDB.js';
import { handler as MOVE } from './MOVE.js';
import { handler as SETBIT } from './SETBIT.js';
import { handler as MULTI } from './MULTI.js';
import { handler as EXEC } from './EXEC.js';
import { handler as DISCARD } from './DISCARD.js';
import { handler as WATCH } from './WATCH.js';
import { handler as UNWATCH } from './UNWATCH.js';
import { handler as SUBSCRIBE } from './SUBSCRIBE.js';
import { handler as UNSUBSCRIBE } from './UNSUBSCRIBE.js';
import { handler as PSUBSCRIBE } from './PSUBSCRIBE.js';
import { handler as PUNSUBSCRIBE } from './PUNSUBSCRIBE.js';
import { handler as SSUBSCRIBE } from './SSUBSCRIBE.js';
import { handler as SUNSUBSCRIBE } from './SUNSUBSCRIBE.js';
import { handler as PUBLISH } from './PUBLISH.js';
import { handler as SPUBLISH } from './SPUBLISH.js';
import { handler as PUBSUB_CHANNELS } from './PUBSUB_CHANNELS.js';
import { handler as PUBSUB_SHARDCHANNELS } from './PUBSUB_SHARDCHANNELS.js';
import { handler as PUBSUB_NUMSUB } from './PUBSUB_NUMSUB.js';
import { handler as PUBSUB_SHARDNUMSUB } from './PUBSUB_SHARDNUMSUB.js';
import { handler as PUBSUB_NUMPAT } from './PUBSUB_NUMPAT.js';
import { handler as PUBSUB_HELP } from './PUBSUB_HELP.js';
import { handler as BLPOP } from './BLPOP.js';
import { handler as BRPOP } from './BRPOP.js';
import { handler as BLMPOP } from './BLMPOP.js';
import { handler as LMPOP } from './LMPOP.js';
import { handler as BLMOVE } from './BLMOVE.js';
import { handler as BRPOPLPUSH } from './BRPOPLPUSH.js';
import { handler as BZPOPMIN } from './BZPOPMIN.js';
import { handler as BZPOPMAX } from './BZPOPMAX.js';
import { handler as BZMPOP } from './BZMPOP.js';
import { handler as ZMPOP } from './ZMPOP.js';
import { handler as MONITOR } from './MONITOR.js';
import { handler as SYNC } from './SYNC.js';
import { handler as WAIT } from './WAIT.js';
import { handler as CONFIG_RESETSTAT } from './CONFIG_RESETSTAT.js';
import { handler as SLOWLOG_GET } from './SLOWLOG_GET.js';
import { handler as SLOWLOG_LEN } from './SLOWLOG_LEN.js';
import { handler as SLOWLOG_RESET } from './SLOWLOG_RESET.js';
import { handler as SLOWLOG_HELP } from './SLOWLOG_HELP.js';
import { handler as LATENCY_LATEST } from './LATENCY_LATEST.js';
import { handler as LATENCY_HISTORY } from './LATENCY_HISTORY.js';
import { handler as LATENCY_RESET } from './LATENCY_RESET.js';
import { handler as LATENCY_DOCTOR } from './LATENCY_DOCTOR.js';
import { handler as LATENCY_GRAPH } from './LATENCY_GRAPH.js';
import { handler as LATENCY_HISTOGRAM } from './LATENCY_HISTOGRAM.js';
import { handler as LATENCY_HELP } from './LATENCY_HELP.js';
import { handler as CLIENT_KILL } from './CLIENT_KILL.js';
import { handler as CLIENT_UNBLOCK } from './CLIENT_UNBLOCK.js';
import { handler as CLIENT_PAUSE } from './CLIENT_PAUSE.js';
import { handler as CLIENT_UNPAUSE } from './CLIENT_UNPAUSE.js';
import { handler as CLIENT_NO_EVICT } from './CLIENT_NO-EVICT.js';
import { handler as CLIENT_REPLY } from './CLIENT_REPLY.js';
import { handler as CLIENT_TRACKING } from './CLIENT_TRACKING.js';
import { handler as CLIENT_TRACKINGINFO } from './CLIENT_TRACKINGINFO.js';
import { handler as CLIENT_GETREDIR } from './CLIENT_GETREDIR.js';
import { handler as CLIENT_CACHING } from './CLIENT_CACHING.js';
// lists, sorted sets, streams (issue #12)
import { handler as ZCOUNT } from './ZCOUNT.js';
import { handler as ZLEXCOUNT } from './ZLEXCOUNT.js';
import { handler as ZRANGEBYSCORE } from './ZRANGEBYSCORE.js';
import { handler as ZREVRANGEBYSCORE } from './ZREVRANGEBYSCORE.js';
import { handler as ZRANGEBYLEX } from './ZRANGEBYLEX.js';
import { handler as ZREVRANGEBYLEX } from './ZREVRANGEBYLEX.js';
import { handler as ZRANGESTORE } from './ZRANGESTORE.js';
import { handler as ZREVRANK } from './ZREVRANK.js';
import { handler as ZMSCORE } from './ZMSCORE.js';
import { handler as ZRANDMEMBER } from './ZRANDMEMBER.js';
import { handler as ZUNION } from './ZUNION.js';
import { handler as ZINTER } from './ZINTER.js';
import { handler as ZDIFF } from './ZDIFF.js';
import { handler as ZDIFFSTORE } from './ZDIFFSTORE.js';
import { handler as ZINTERCARD } from './ZINTERCARD.js';
import { handler as LPOS } from './LPOS.js';
import { handler as XREVRANGE } from './XREVRANGE.js';
import { handler as XREAD } from './XREAD.js';
import { handler as XSETID } from './XSETID.js';

const TABLE = new Map<string, CommandInfo>(COMMAND_INFO.map((i) => [i.name, i]));

function spec(info: CommandInfo, handler: Handler, subcommands?: CommandSpec[]): CommandSpec {
  return {
    name: info.name,
    arity: info.arity,
    flags: info.flags,
    firstKey: info.firstKey,
    lastKey: info.lastKey,
    step: info.step,
    categories: info.categories,
    tips: info.tips,
    keySpecs: info.keySpecs,
    handler,
    write: info.flags.includes('write'),
    noAuth: info.flags.includes('no_auth'),
    denyoom: info.flags.includes('denyoom'),
    ...(subcommands ? { subcommands } : {}),
  };
}

function top(name: string, handler: Handler): CommandSpec {
  const info = TABLE.get(name);
  if (!info) throw new Error(`no COMMAND INFO for ${name}`);
  return spec(info, handler);
}

function container(name: string, handler: Handler, subs: [string, Handler][]): CommandSpec {
  const info = TABLE.get(name)!;
  const specs = subs.map(([sub, h]) => {
    const si = info.subcommands.find((s) => s.name === `${name}|${sub}`);
    if (!si) throw new Error(`no COMMAND INFO for ${name}|${sub}`);
    return spec(si, h);
  });
  return spec(info, handler, specs);
}

const noSubcommand: Handler = () => {
  throw new Error('unreachable: the arity check refuses a container without a subcommand');
};

export const COMMANDS: readonly CommandSpec[] = [
  top('append', APPEND),
  top('auth', AUTH),
  top('dbsize', DBSIZE),
  top('decr', DECR),
  top('decrby', DECRBY),
  top('del', DEL),
  top('echo', ECHO),
  top('exists', EXISTS),
  top('expire', EXPIRE),
  top('expireat', EXPIREAT),
  top('expiretime', EXPIRETIME),
  top('flushall', FLUSHALL),
  top('flushdb', FLUSHDB),
  top('get', GET),
  top('getset', GETSET),
  top('hdel', HDEL),
  top('hello', HELLO),
  top('hexists', HEXISTS),
  top('hget', HGET),
  top('hgetall', HGETALL),
  top('hincrby', HINCRBY),
  top('hkeys', HKEYS),
  top('hlen', HLEN),
  top('hmget', HMGET),
  top('hmset', HMSET),
  top('hscan', HSCAN),
  top('hset', HSET),
  top('hvals', HVALS),
  top('incr', INCR),
  top('incrby', INCRBY),
  top('info', INFO_CMD),
  top('keys', KEYS),
  top('lastsave', LASTSAVE),
  top('save', SAVE),
  top('bgsave', BGSAVE),
  top('shutdown', SHUTDOWN),
  top('lindex', LINDEX),
  top('llen', LLEN),
  top('lpop', LPOP),
  top('lpush', LPUSH),
  top('lrange', LRANGE),
  top('ltrim', LTRIM),
  top('mget', MGET),
  top('mset', MSET),
  top('persist', PERSIST),
  top('pexpire', PEXPIRE),
  top('pexpireat', PEXPIREAT),
  top('pexpiretime', PEXPIRETIME),
  top('ping', PING),
  top('psetex', PSETEX),
  top('pttl', PTTL),
  top('quit', QUIT),
  top('randomkey', RANDOMKEY),
  top('rename', RENAME),
  top('reset', RESET),
  top('rpop', RPOP),
  top('rpush', RPUSH),
  top('sadd', SADD),
  top('scan', SCAN),
  top('scard', SCARD),
  top('select', SELECT),
  top('set', SET),
  top('setex', SETEX),
  top('setnx', SETNX),
  top('sismember', SISMEMBER),
  top('smembers', SMEMBERS),
  top('spop', SPOP),
  top('srem', SREM),
  top('sscan', SSCAN),
  top('strlen', STRLEN),
  top('time', TIME),
  top('touch', TOUCH),
  top('ttl', TTL),
  top('type', TYPE),
  top('unlink', UNLINK),
  top('xadd', XADD),
  top('xlen', XLEN),
  top('xrange', XRANGE),
  top('zadd', ZADD),
  top('zcard', ZCARD),
  top('zincrby', ZINCRBY),
  top('zrange', ZRANGE),
  top('zrank', ZRANK),
  top('zrem', ZREM),
  top('zrevrange', ZREVRANGE),
  top('zscan', ZSCAN),
  top('zscore', ZSCORE),
  top('zpopmin', ZPOPMIN),
  top('zpopmax', ZPOPMAX),
  top('lrem', LREM),
  top('lset', LSET),
  top('linsert', LINSERT),
  top('lmove', LMOVE),
  top('rpoplpush', RPOPLPUSH),
  top('lpushx', LPUSHX),
  top('rpushx', RPUSHX),
  top('smove', SMOVE),
  top('hsetnx', HSETNX),
  top('msetnx', MSETNX),
  top('setrange', SETRANGE),
  top('renamenx', RENAMENX),
  top('getdel', GETDEL),
  top('getex', GETEX),
  top('zremrangebyscore', ZREMRANGEBYSCORE),
  top('zremrangebyrank', ZREMRANGEBYRANK),
  top('zremrangebylex', ZREMRANGEBYLEX),
  top('xdel', XDEL),
  top('xtrim', XTRIM),
  top('incrbyfloat', INCRBYFLOAT),
  top('hincrbyfloat', HINCRBYFLOAT),
  top('sinterstore', SINTERSTORE),
  top('sunionstore', SUNIONSTORE),
  top('sdiffstore', SDIFFSTORE),
  top('zunionstore', ZUNIONSTORE),
  top('zinterstore', ZINTERSTORE),
  top('copy', COPY),
  top('swapdb', SWAPDB),
  top('move', MOVE),
  top('setbit', SETBIT),
  top('multi', MULTI),
  top('exec', EXEC),
  top('discard', DISCARD),
  top('watch', WATCH),
  top('unwatch', UNWATCH),
  top('subscribe', SUBSCRIBE),
  top('unsubscribe', UNSUBSCRIBE),
  top('psubscribe', PSUBSCRIBE),
  top('punsubscribe', PUNSUBSCRIBE),
  top('ssubscribe', SSUBSCRIBE),
  top('sunsubscribe', SUNSUBSCRIBE),
  top('publish', PUBLISH),
  top('spublish', SPUBLISH),
  top('blpop', BLPOP),
  top('brpop', BRPOP),
  top('blmpop', BLMPOP),
  top('lmpop', LMPOP),
  top('blmove', BLMOVE),
  top('brpoplpush', BRPOPLPUSH),
  top('bzpopmin', BZPOPMIN),
  top('bzpopmax', BZPOPMAX),
  top('bzmpop', BZMPOP),
  top('zmpop', ZMPOP),
  top('monitor', MONITOR),
  top('sync', SYNC),
  top('psync', SYNC),
  top('wait', WAIT),
  container('client', noSubcommand, [
    ['getname', CLIENT_GETNAME], ['help', CLIENT_HELP], ['id', CLIENT_ID], ['info', CLIENT_INFO], ['list', CLIENT_LIST], ['setname', CLIENT_SETNAME],
    ['kill', CLIENT_KILL], ['unblock', CLIENT_UNBLOCK], ['pause', CLIENT_PAUSE], ['unpause', CLIENT_UNPAUSE], ['no-evict', CLIENT_NO_EVICT],
    ['reply', CLIENT_REPLY], ['tracking', CLIENT_TRACKING], ['trackinginfo', CLIENT_TRACKINGINFO], ['getredir', CLIENT_GETREDIR], ['caching', CLIENT_CACHING],
  ]),
  container('command', COMMAND, [['count', COMMAND_COUNT], ['docs', COMMAND_DOCS], ['getkeys', COMMAND_GETKEYS], ['getkeysandflags', COMMAND_GETKEYSANDFLAGS], ['help', COMMAND_HELP], ['info', COMMAND_INFO_SUB], ['list', COMMAND_LIST]]),
  container('config', noSubcommand, [['get', CONFIG_GET], ['help', CONFIG_HELP], ['set', CONFIG_SET], ['resetstat', CONFIG_RESETSTAT]]),
  container('pubsub', noSubcommand, [
    ['channels', PUBSUB_CHANNELS], ['shardchannels', PUBSUB_SHARDCHANNELS], ['numsub', PUBSUB_NUMSUB], ['shardnumsub', PUBSUB_SHARDNUMSUB],
    ['numpat', PUBSUB_NUMPAT], ['help', PUBSUB_HELP],
  ]),
  container('slowlog', noSubcommand, [['get', SLOWLOG_GET], ['len', SLOWLOG_LEN], ['reset', SLOWLOG_RESET], ['help', SLOWLOG_HELP]]),
  container('latency', noSubcommand, [
    ['latest', LATENCY_LATEST], ['history', LATENCY_HISTORY], ['reset', LATENCY_RESET], ['doctor', LATENCY_DOCTOR], ['graph', LATENCY_GRAPH],
    ['histogram', LATENCY_HISTOGRAM], ['help', LATENCY_HELP],
  ]),
  container('memory', noSubcommand, [['doctor', MEMORY_DOCTOR], ['help', MEMORY_HELP], ['malloc-stats', MEMORY_MALLOC_STATS], ['purge', MEMORY_PURGE], ['stats', MEMORY_STATS], ['usage', MEMORY_USAGE]]),
  container('object', noSubcommand, [['encoding', OBJECT_ENCODING], ['freq', OBJECT_FREQ], ['help', OBJECT_HELP], ['idletime', OBJECT_IDLETIME], ['refcount', OBJECT_REFCOUNT]]),
  top('eval', EVAL),
  top('evalsha', EVALSHA),
  top('eval_ro', EVAL_RO),
  top('evalsha_ro', EVALSHA_RO),
  top('fcall', FCALL),
  top('fcall_ro', FCALL_RO),
  container('function', noSubcommand, [['delete', FUNCTION_DELETE], ['dump', FUNCTION_DUMP], ['flush', FUNCTION_FLUSH], ['help', FUNCTION_HELP], ['kill', FUNCTION_KILL], ['list', FUNCTION_LIST], ['load', FUNCTION_LOAD], ['restore', FUNCTION_RESTORE], ['stats', FUNCTION_STATS]]),
  container('script', noSubcommand, [['debug', SCRIPT_DEBUG], ['exists', SCRIPT_EXISTS], ['flush', SCRIPT_FLUSH], ['help', SCRIPT_HELP], ['kill', SCRIPT_KILL], ['load', SCRIPT_LOAD]]),
  container('xinfo', noSubcommand, [['help', XINFO_HELP], ['stream', XINFO_STREAM], ['groups', XINFO_GROUPS], ['consumers', XINFO_CONSUMERS]]),
  container('xgroup', noSubcommand, [
    ['create', XGROUP_CREATE], ['setid', XGROUP_SETID], ['destroy', XGROUP_DESTROY], ['createconsumer', XGROUP_CREATECONSUMER],
    ['delconsumer', XGROUP_DELCONSUMER], ['help', XGROUP_HELP],
  ]),
  ...DATA_COMMANDS.map(([name, h]) => top(name, h)),
  // lists, sorted sets, streams (issue #12)
  top('zcount', ZCOUNT),
  top('zlexcount', ZLEXCOUNT),
  top('zrangebyscore', ZRANGEBYSCORE),
  top('zrevrangebyscore', ZREVRANGEBYSCORE),
  top('zrangebylex', ZRANGEBYLEX),
  top('zrevrangebylex', ZREVRANGEBYLEX),
  top('zrangestore', ZRANGESTORE),
  top('zrevrank', ZREVRANK),
  top('zmscore', ZMSCORE),
  top('zrandmember', ZRANDMEMBER),
  top('zunion', ZUNION),
  top('zinter', ZINTER),
  top('zdiff', ZDIFF),
  top('zdiffstore', ZDIFFSTORE),
  top('zintercard', ZINTERCARD),
  top('lpos', LPOS),
  top('xrevrange', XREVRANGE),
  top('xread', XREAD),
  top('xsetid', XSETID),
  // stream consumer groups (issue #12)
  top('xreadgroup', XREADGROUP),
  top('xack', XACK),
  top('xclaim', XCLAIM),
  top('xautoclaim', XAUTOCLAIM),
  top('xpending', XPENDING),
];
