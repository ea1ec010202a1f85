/**
 * Node's Buffer has latin1Slice, latin1Write and utf8Write (what toString('latin1') and
 * write(s, 'latin1') call, without the encoding switch); @types/node leaves them out.
 */
export {};
declare global {
  interface Buffer {
    latin1Slice(start?: number, end?: number): string;
    latin1Write(s: string, offset?: number, length?: number): number;
    utf8Write(s: string, offset?: number, length?: number): number;
  }
}
