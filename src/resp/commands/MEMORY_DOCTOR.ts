/** MEMORY DOCTOR: getMemoryDoctorReport (object.c) over the modelled figures. */
import type { Client } from '../client.js';
import type { RespServer } from '../server.js';
import { memoryStats } from './MEMORY_STATS.js';

export function handler(c: Client): void {
  let text = memoryDoctor(c.server);
  const dump = c.server.dumpDoctor();
  if (dump) text += `\n\nrdblens doctor, on the dump(s) as loaded:\n${dump}`;
  c.w.verbatim(text);
}

/** the report, with the checks that apply to a model (no RSS or allocator figures here) */
export function memoryDoctor(server: RespServer): string {
  const s = memoryStats(server);
  if (s.used < 1024 * 1024 * 5) {
    return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.";
  }
  let highPeak = false;
  let bigClient = false;
  if (s.peak / s.used > 1.5) highPeak = true;
  const n = server.clients.size;
  if (n > 0 && server.clientsMemory() / n > 1024 * 200) bigClient = true;
  if (!highPeak && !bigClient) {
    return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.";
  }
  let out = 'Sam, I detected a few issues in this Redis instance memory implants:\n\n';
  if (highPeak) {
    out +=
      ' * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n';
  }
  if (bigClient) {
    out +=
      ' * Big client buffers: The clients output buffers are in general too big, more than 200K per client on average. This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.\n\n';
  }
  out += "I'm here to keep you safe, Sam. I want to help you.\n";
  return out;
}
