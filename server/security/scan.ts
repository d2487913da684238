/**
 * Security scanners (DOMAIN.md "Security"): every guest utterance is scanned before any brain or LLM
 * sees it, and every reply is scanned before the guest hears it. Pure and fast (regexes only), so the
 * scan costs microseconds per turn. What Maya says instead of a blocked utterance or reply is in the
 * phrasebook (blocked_<category>, blocked_output), like every spoken line.
 */
import { ABUSE_PATTERNS, INJECTION_PATTERNS, OUTPUT_LEAK_PATTERNS } from './patterns.ts';

/** Longest guest utterance the brain will consider; a bar order is a sentence or two. */
export const MAX_INPUT_CHARS = 400;
/** Longest reply Maya may speak; longer output means something went wrong upstream. */
export const MAX_OUTPUT_CHARS = 800;

export type BlockCategory = 'injection' | 'abuse' | 'too_long' | 'control_chars' | 'leak';

export type ScanResult =
  | {
      ok: true /** The text with invisible characters removed and Unicode normalised. */;
      text: string;
    }
  | {
      ok: false;
      category: BlockCategory /** Which rule matched, for logs and tests (never spoken). */;
      rule: string;
    };

// C0 and C1 control characters except tab, line feed and carriage return; bidi overrides/isolates.
const CONTROL_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
// Zero-width characters are dropped, not blocked: they hide words from pattern matching.
const INVISIBLE_CHARS = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/** NFKC folds full-width and styled letters into plain ones; collapse whitespace. */
export function normaliseForScan(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE_CHARS, '').replace(/\s+/g, ' ').trim();
}

/** Lower case with common obfuscations undone, used for matching only. */
function matchForm(text: string): string {
  return text
    .toLowerCase()
    .replace(/\b([a-z])[._*-](?=[a-z]\b)/g, '$1') // "i.g.n.o.r.e", "i-g-n-o-r-e"
    .replace(/[’‘`']/g, ' ') // "you're" → "you re", as the rules spell it
    .replace(/[,.!?;"()“”…]+/g, ' ')
    .replace(/\b1gnore\b/g, 'ignore')
    .replace(/\bpr0mpt\b/g, 'prompt')
    .replace(/\s+/g, ' ')
    .trim();
}

export function scanInput(raw: string): ScanResult {
  if (CONTROL_CHARS.test(raw))
    return { ok: false, category: 'control_chars', rule: 'control character' };
  const text = normaliseForScan(raw);
  if (text.length > MAX_INPUT_CHARS)
    return { ok: false, category: 'too_long', rule: `over ${MAX_INPUT_CHARS} characters` };
  const form = matchForm(text);
  for (const [rule, re] of INJECTION_PATTERNS)
    if (re.test(form)) return { ok: false, category: 'injection', rule };
  for (const [rule, re] of ABUSE_PATTERNS)
    if (re.test(form)) return { ok: false, category: 'abuse', rule };
  return { ok: true, text };
}

export function scanOutput(raw: string): ScanResult {
  if (CONTROL_CHARS.test(raw))
    return { ok: false, category: 'control_chars', rule: 'control character' };
  const text = normaliseForScan(raw);
  if (text.length > MAX_OUTPUT_CHARS)
    return { ok: false, category: 'too_long', rule: `over ${MAX_OUTPUT_CHARS} characters` };
  const form = matchForm(text);
  for (const [rule, re] of OUTPUT_LEAK_PATTERNS)
    if (re.test(text) || re.test(form)) return { ok: false, category: 'leak', rule };
  for (const [rule, re] of ABUSE_PATTERNS)
    if (re.test(form)) return { ok: false, category: 'abuse', rule };
  return { ok: true, text };
}
