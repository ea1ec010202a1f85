/**
 * RESP type bytes (RESP2 and RESP3), as in node-redis's RESP/types.ts: one `as const` map so
 * the decoder, the encoder and the tests name the same bytes.
 */
export const RESP_TYPES = {
  NULL: 0x5f, // '_'
  BOOLEAN: 0x23, // '#'
  NUMBER: 0x3a, // ':'
  BIG_NUMBER: 0x28, // '('
  DOUBLE: 0x2c, // ','
  SIMPLE_STRING: 0x2b, // '+'
  BLOB_STRING: 0x24, // '$'
  VERBATIM_STRING: 0x3d, // '='
  SIMPLE_ERROR: 0x2d, // '-'
  BLOB_ERROR: 0x21, // '!'
  ARRAY: 0x2a, // '*'
  SET: 0x7e, // '~'
  MAP: 0x25, // '%'
  PUSH: 0x3e, // '>'
  ATTRIBUTE: 0x7c, // '|'
} as const;

export type RespTypeByte = (typeof RESP_TYPES)[keyof typeof RESP_TYPES];

export const CR = 0x0d;
export const LF = 0x0a;
