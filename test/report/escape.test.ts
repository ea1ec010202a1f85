import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeBytes, unescapeBytes, ESCAPE_MODES, DEFAULT_ESCAPE, type EscapeMode } from '../../src/report/escape.js';
import { rng } from '../helpers/rng.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('the default mode is utf8', () => {
  assert.equal(DEFAULT_ESCAPE, 'utf8');
});

test('utf8: valid UTF-8 is text, control characters included', () => {
  assert.equal(escapeBytes(Buffer.from('user:1'), 'utf8'), 'user:1');
  assert.equal(escapeBytes(Buffer.from('ключ:🔑 日本語'), 'utf8'), 'ключ:🔑 日本語');
  assert.equal(escapeBytes(Buffer.from('a\r\n\0\x7f'), 'utf8'), 'a\r\n\0\x7f');
  assert.equal(escapeBytes(Buffer.alloc(0), 'utf8'), '');
});

test('utf8: every byte outside a well-formed sequence is \\xNN (lowercase)', () => {
  assert.equal(escapeBytes(hex('fffefd80'), 'utf8'), '\\xff\\xfe\\xfd\\x80');
  // "invalid utf8 \xc3( value": a lead byte without its continuation
  assert.equal(escapeBytes(Buffer.concat([Buffer.from('a'), hex('c3'), Buffer.from('(b')]), 'utf8'), 'a\\xc3(b');
  // truncated 3-byte sequence at the end: each byte escaped on its own
  assert.equal(escapeBytes(hex('41e282'), 'utf8'), 'A\\xe2\\x82');
  // overlong encodings, surrogates, above U+10FFFF, stray continuation
  assert.equal(escapeBytes(hex('c0af'), 'utf8'), '\\xc0\\xaf');
  assert.equal(escapeBytes(hex('e08080'), 'utf8'), '\\xe0\\x80\\x80');
  assert.equal(escapeBytes(hex('eda080'), 'utf8'), '\\xed\\xa0\\x80');
  assert.equal(escapeBytes(hex('f4908080'), 'utf8'), '\\xf4\\x90\\x80\\x80');
  assert.equal(escapeBytes(hex('f5'), 'utf8'), '\\xf5');
  // valid sequences around invalid bytes stay text
  assert.equal(escapeBytes(Buffer.concat([Buffer.from('é'), hex('ff'), Buffer.from('🚀')]), 'utf8'), 'é\\xff🚀');
  // the edges of Table 3-7 that are valid
  assert.equal(escapeBytes(hex('ed9fbf'), 'utf8'), '\ud7ff');
  assert.equal(escapeBytes(hex('f48fbfbf'), 'utf8'), '\u{10ffff}');
  assert.equal(escapeBytes(hex('e0a080'), 'utf8'), '\u0800');
});

test('utf8 and print: a literal backslash is doubled, so "\\x41" text differs from byte 0x41', () => {
  const literal = Buffer.from('\\x41'); // the 4 characters backslash, x, 4, 1
  assert.equal(escapeBytes(literal, 'utf8'), '\\\\x41');
  assert.equal(escapeBytes(literal, 'print'), '\\\\x41');
  assert.equal(escapeBytes(hex('41'), 'utf8'), 'A');
  assert.equal(escapeBytes(hex('5cff'), 'utf8'), '\\\\\\xff');
  assert.ok(unescapeBytes('\\\\x41', 'utf8').equals(literal));
  assert.ok(unescapeBytes('\\x41', 'utf8').equals(hex('41')));
});

test('print: printable ASCII as is, everything else \\xNN', () => {
  assert.equal(escapeBytes(Buffer.from('user:1 "q"'), 'print'), 'user:1 "q"');
  assert.equal(escapeBytes(Buffer.from('é\n'), 'print'), '\\xc3\\xa9\\x0a');
  assert.equal(escapeBytes(hex('00201f7e7f80ff'), 'print'), '\\x00 \\x1f~\\x7f\\x80\\xff');
});

test('raw: one character U+00NN per byte', () => {
  assert.equal(escapeBytes(hex('00417fc3a9ff'), 'raw'), '\u0000A\u007f\u00c3\u00a9\u00ff');
  assert.equal(escapeBytes(Buffer.from('a\\b'), 'raw'), 'a\\b');
});

test('base64: standard alphabet with padding', () => {
  assert.equal(escapeBytes(hex('fffefd80'), 'base64'), '//79gA==');
  assert.equal(escapeBytes(Buffer.from('hello'), 'base64'), 'aGVsbG8=');
  assert.equal(escapeBytes(Buffer.alloc(0), 'base64'), '');
});

test('every mode round-trips random bytes, text-like bytes and all 256 byte values', () => {
  const rand = rng(7);
  const samples: Buffer[] = [Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\\\\x\\x5c\\\\'), Buffer.from('ключ\\🔑')];
  for (let i = 0; i < 500; i++) {
    const n = Math.floor(rand() * 40);
    const alphabet = [0x5c, 0x78, 0x41, 0x66, 0x30, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x80, 0xff, 0x00, 0x0a];
    samples.push(
      Buffer.from(Array.from({ length: n }, () => (rand() < 0.5 ? alphabet[Math.floor(rand() * alphabet.length)]! : Math.floor(rand() * 256)))),
    );
  }
  for (const mode of ESCAPE_MODES) {
    for (const buf of samples) {
      const text = escapeBytes(buf, mode);
      assert.ok(unescapeBytes(text, mode).equals(buf), `${mode}: ${buf.toString('hex')} -> ${JSON.stringify(text)}`);
      // the JSON text is valid and decodes to the same string
      assert.equal(JSON.parse(JSON.stringify(text)), text);
      if (mode === 'print') assert.match(text, /^[\x20-\x7e]*$/);
      if (mode === 'utf8') assert.ok(Buffer.from(text, 'utf8').toString('utf8') === text, 'utf8 output is well-formed Unicode');
    }
  }
});

test('utf8: no \\xNN exactly when the bytes are valid UTF-8 (checked against TextDecoder)', () => {
  const rand = rng(11);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const lead = [0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0x80, 0xbf, 0xa0, 0x9f, 0x90, 0x8f, 0x41];
  for (let i = 0; i < 5000; i++) {
    const n = 1 + Math.floor(rand() * 6);
    const buf = Buffer.from(Array.from({ length: n }, () => lead[Math.floor(rand() * lead.length)]!));
    let valid = true;
    try {
      decoder.decode(buf);
    } catch {
      valid = false;
    }
    assert.equal(!escapeBytes(buf, 'utf8').includes('\\x'), valid, buf.toString('hex'));
  }
});

test('unescapeBytes rejects text its mode cannot produce', () => {
  const bad: [string, EscapeMode][] = [
    ['a\\b', 'utf8'],
    ['\\x4', 'print'],
    ['\\xzz', 'utf8'],
    ['tail\\', 'utf8'],
    ['ключ', 'raw'],
  ];
  for (const [text, mode] of bad) assert.throws(() => unescapeBytes(text, mode), Error, `${mode} ${JSON.stringify(text)}`);
});
