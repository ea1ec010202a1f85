/**
 * Named queries for `rdblens sql --example <name>`, over the `keys` view (the columns of
 * `rdblens csv --format parquet`: docs/fleet.md). Plain SQL that DuckDB, Spark SQL and Trino all
 * read (no DuckDB-only syntax), so the same text runs over a fleet's files in any of them.
 */
export interface SqlExample {
  name: string;
  description: string;
  sql: string;
}

export const SQL_EXAMPLES: readonly SqlExample[] = [
  {
    name: 'top-prefixes',
    description: 'memory by first-level prefix over every shard: keys, bytes, share, keys without a TTL',
    sql: `SELECT coalesce(prefix1, '(no prefix)') AS prefix,
       count(*) AS keys,
       sum(size_in_bytes) AS bytes,
       round(100.0 * sum(size_in_bytes) / sum(sum(size_in_bytes)) OVER (), 2) AS percent,
       count(DISTINCT shard) AS shards,
       sum(CASE WHEN expiry IS NULL THEN 1 ELSE 0 END) AS keys_no_ttl
FROM keys
GROUP BY 1
ORDER BY bytes DESC, prefix
LIMIT 20`,
  },
  {
    name: 'prefix-tree',
    description: 'the fleet-wide prefix report: every prefix at every level (as rdblens prefixes), largest first',
    sql: `SELECT prefix, depth, count(*) AS keys, sum(size_in_bytes) AS bytes,
       round(100.0 * sum(size_in_bytes) / max(total.bytes), 2) AS percent,
       sum(CASE WHEN expiry IS NULL THEN 1 ELSE 0 END) AS keys_no_ttl,
       sum(CASE WHEN expiry IS NULL THEN size_in_bytes ELSE 0 END) AS bytes_no_ttl
FROM (
  SELECT prefix1 AS prefix, 1 AS depth, size_in_bytes, expiry FROM keys WHERE prefix1 IS NOT NULL
  UNION ALL SELECT prefix2, 2, size_in_bytes, expiry FROM keys WHERE prefix2 IS NOT NULL
  UNION ALL SELECT prefix3, 3, size_in_bytes, expiry FROM keys WHERE prefix3 IS NOT NULL
) AS p CROSS JOIN (SELECT sum(size_in_bytes) AS bytes FROM keys) AS total
GROUP BY prefix, depth
ORDER BY bytes DESC, keys DESC, prefix
LIMIT 50`,
  },
  {
    name: 'shards',
    description: 'keys and memory per shard, and each against the mean (skew)',
    sql: `SELECT shard, count(*) AS keys, sum(size_in_bytes) AS bytes,
       round(sum(size_in_bytes) / avg(sum(size_in_bytes)) OVER (), 3) AS vs_mean,
       sum(CASE WHEN expiry IS NOT NULL THEN 1 ELSE 0 END) AS expires
FROM keys
GROUP BY shard
ORDER BY bytes DESC, shard`,
  },
  {
    name: 'top-keys',
    description: 'the 20 largest keys of the fleet, with their shard',
    sql: `SELECT shard, database, key, type, encoding, size_in_bytes, num_elements, expiry
FROM keys
ORDER BY size_in_bytes DESC NULLS LAST, shard, key
LIMIT 20`,
  },
  {
    name: 'no-ttl',
    description: 'memory held by keys without a TTL, by first-level prefix',
    sql: `SELECT coalesce(prefix1, '(no prefix)') AS prefix, count(*) AS keys, sum(size_in_bytes) AS bytes
FROM keys
WHERE expiry IS NULL
GROUP BY 1
ORDER BY bytes DESC, prefix
LIMIT 20`,
  },
  {
    name: 'types',
    description: 'memory by type and encoding',
    sql: `SELECT type, encoding, count(*) AS keys, sum(size_in_bytes) AS bytes
FROM keys
GROUP BY type, encoding
ORDER BY bytes DESC, type, encoding`,
  },
  {
    name: 'hot-slots',
    description: 'the cluster slots holding the most memory',
    sql: `SELECT slot, count(*) AS keys, sum(size_in_bytes) AS bytes, count(DISTINCT shard) AS shards
FROM keys
GROUP BY slot
ORDER BY bytes DESC, slot
LIMIT 20`,
  },
];

export function sqlExample(name: string): SqlExample | undefined {
  return SQL_EXAMPLES.find((e) => e.name === name);
}
