/**
 * The Content-Security-Policy of the built dashboards (docs/serving.md, "Content-Security-Policy").
 *
 *   await addContentSecurityPolicy("dist");     // after `observable build`: a <meta> in every page
 *   const policy = pagePolicy(html);            // the policy one page needs
 *
 * What Observable Framework 1.13.4's built pages need, found by reading its output:
 * - two inline scripts per page: the page's own `<script type="module">` (its cells, compiled
 *   at build time; it imports `./_observablehq/client.js`, runtime, stdlib and the `_npm/`
 *   bundles) and the sidebar's small `<script>` (restores its open/closed state). Both are
 *   allowed by their SHA-256 hash, nothing else inline: no `'unsafe-inline'` for scripts, no
 *   `javascript:` URLs, and only the event-handler attributes described next.
 * - htl (the `html` template tag of Framework and Inputs) parses a template such as
 *   `<th onclick=${sort}>` with a placeholder in the attribute (`onclick=::2`), imports it into
 *   the page, then removes the attribute and sets the handler as a property. The attribute
 *   exists for an instant, and the browser checks it against the policy: without an allowance,
 *   every `Inputs.table` header logs a violation. So `'unsafe-hashes'` with the hashes of the
 *   placeholders `::0` … `::49` is allowed: an attribute holding exactly `::N` is a syntax
 *   error as JavaScript, so nothing can run through it. No other handler attribute is allowed.
 * - no `eval`/`new Function` on our pages: d3-dsv (CSV attachments) and Arrow's null-value
 *   builder use `new Function`, but no page parses CSV in the browser and reading Arrow IPC does
 *   not reach that code, so `'unsafe-eval'` is not allowed.
 * - styles: `'unsafe-inline'` is allowed for styles only. Plot inserts `<style>` elements into
 *   its SVGs and sets `style` attributes, and htl templates on the pages write `style="…"`;
 *   CSS cannot run script, and free text is never rendered as HTML (so it cannot add styles).
 * - images: `data:` as well as the site, for the theme's SVG icons (select carets) in its CSS.
 * - everything else (fetches of data files, module imports, fonts) from the site itself.
 */
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { filesUnder } from "./site-files.ts";

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const META_CSP = /<meta http-equiv="Content-Security-Policy" content="[^"]*">\n?/i;

const sha256 = (text: string): string => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** SHA-256 hash sources for every inline `<script>` (those with no `src`) of a page. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(INLINE_SCRIPT)) {
    if (/\bsrc\s*=/i.test(match[1])) continue;
    hashes.push(sha256(match[2]));
  }
  return [...new Set(hashes)];
}

/** htl's attribute placeholders `::0` … `::49` (see the module comment). */
export const HTL_PLACEHOLDER_HASHES: readonly string[] = Array.from({ length: 50 }, (_, i) => sha256(`::${i}`));

/** The policy for a page whose inline scripts are `hashes` (see the module comment for why each part). */
export function policyFor(hashes: readonly string[]): string {
  return [
    "default-src 'self'",
    `script-src 'self'${hashes.map((h) => ` ${h}`).join("")} 'unsafe-hashes'${HTL_PLACEHOLDER_HASHES.map((h) => ` ${h}`).join("")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join("; ");
}

/** The policy a page needs (its own inline scripts hashed). */
export function pagePolicy(html: string): string {
  return policyFor(inlineScriptHashes(html.replace(META_CSP, "")));
}

/** The policy a page carries in its `<meta http-equiv="Content-Security-Policy">`, or null. */
export function metaPolicy(html: string): string | null {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/i.exec(html);
  return match ? match[1].replaceAll("&#39;", "'").replaceAll("&quot;", '"').replaceAll("&amp;", "&") : null;
}

/**
 * Puts the page's policy in a `<meta>` right after `<meta charset>`, before any script or
 * stylesheet it governs (a policy only applies to what follows it). Replaces an earlier one.
 */
export function withPolicyMeta(html: string): string {
  const stripped = html.replace(META_CSP, "");
  const meta = `<meta http-equiv="Content-Security-Policy" content="${pagePolicy(stripped).replaceAll("&", "&amp;").replaceAll('"', "&quot;")}">`;
  const charset = /<meta charset="[^"]*">\n?/i.exec(stripped);
  if (charset) {
    const at = charset.index + charset[0].length;
    return `${stripped.slice(0, at)}${meta}\n${stripped.slice(at)}`;
  }
  const head = /<head[^>]*>\n?/i.exec(stripped);
  if (!head) throw new Error("no <head> to put the Content-Security-Policy in");
  const at = head.index + head[0].length;
  return `${stripped.slice(0, at)}${meta}\n${stripped.slice(at)}`;
}

async function htmlFiles(dir: string): Promise<string[]> {
  return (await filesUnder(dir)).filter((f) => f.toLowerCase().endsWith(".html")).map((f) => path.join(dir, f));
}

/** Adds the policy to every HTML page under `outDir`; returns how many pages it wrote. */
export async function addContentSecurityPolicy(outDir: string): Promise<number> {
  const files = await htmlFiles(outDir);
  for (const file of files) await writeFile(file, withPolicyMeta(await readFile(file, "utf8")));
  return files.length;
}
