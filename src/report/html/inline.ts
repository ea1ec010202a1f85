/**
 * Putting text into one HTML file safely. Key names are untrusted: data goes into the page only
 * as JSON inside `<script type="application/json">` with every `<`, `>`, `&` and the JavaScript
 * line separators written as `\uXXXX` (so no `</script>`, `<!--` or `]]>` can appear), and the
 * page's own script puts it into the DOM as text (textContent), never as markup.
 */

/** Text as HTML character data or a quoted attribute value. */
export function htmlText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A value as JSON that is inert inside a `<script>` element (see the module comment). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A script (a library's minified file, our own) for inlining in `<script>`: refused when it
 * holds `</script` or `<!--` (the HTML parser would end or alter the element there). Nothing
 * is rewritten: a changed library would be refused, loudly, rather than mangled.
 */
export function inlineScript(name: string, code: string): string {
  const bad = /<\/script|<!--/i.exec(code);
  if (bad) throw new Error(`${name}: cannot be inlined in <script>: holds ${JSON.stringify(bad[0])} at ${bad.index}`);
  return code;
}

/** CSS for inlining in `<style>`: refused when it holds `</style`. */
export function inlineStyle(code: string): string {
  if (/<\/style/i.test(code)) throw new Error('style sheet holds </style');
  return code;
}
