/**
 * Every spoken line lives in the phrasebook (issue 15 point 4). Whether a line was written outside it
 * cannot be tested; what can: every phrase key the code asks for exists (literal keys found in the
 * source, and the keys built from a code, a reason or a category), every situation has a variant,
 * and no variant is said twice in a row — by a turn's Voice or by the out-of-turn lines.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_CODES } from '../../shared/domain.ts';
import { errorPhrase } from '../domain/errors.ts';
import { Voice, loadPhrasebook } from '../phrasebook/persona.ts';
import { line } from '../phrasebook/lines.ts';

const book = loadPhrasebook();
const SERVER = new URL('..', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Literal phrase keys in the code: say('k'), fragment('k'), line('k'), has('k'), phrase: 'k'. */
function literalKeys(): Map<string, string> {
  const keys = new Map<string, string>();
  const re =
    /\b(?:say|fragment|line|has)\(\s*'([a-z][a-z_A-Z0-9]*)'|\bphrase: '([a-z][a-z_A-Z0-9]*)'/g;
  for (const file of sources(SERVER)) {
    for (const m of readFileSync(file, 'utf8').matchAll(re))
      keys.set(m[1] ?? m[2]!, file.slice(SERVER.length));
  }
  return keys;
}

/** Keys the code builds from a value: each value it can take. */
const BUILT_KEYS = [
  ...DOMAIN_ERROR_CODES.map(errorPhrase),
  ...['declined', 'expired', 'timeout'].map((r) => `pay_${r}`),
  ...['injection', 'abuse', 'too_long', 'control_chars'].map((c) => `blocked_${c}`),
  ...['completed', 'failed', 'pending'].map((s) => `pay_status_${s}`),
  ...['wine', 'cocktail', 'shot', 'tip_amount'].map((a) => `clarify_${a}`),
];

describe('the phrasebook holds every spoken line', () => {
  it('has every key the code asks for', () => {
    const keys = literalKeys();
    expect(keys.size).toBeGreaterThan(50);
    for (const [key, file] of keys)
      expect(book.phrases[key], `${file} asks for "${key}"`).toBeDefined();
    for (const key of BUILT_KEYS) expect(book.phrases[key], key).toBeDefined();
  });

  it('every domain error code has a spoken template', () => {
    for (const code of DOMAIN_ERROR_CODES)
      expect(book.phrases[errorPhrase(code)]?.length, code).toBeGreaterThanOrEqual(1);
  });

  it('every situation has at least one variant, and the ones guests hear often have several', () => {
    for (const [key, variants] of Object.entries(book.phrases))
      expect(variants.length, key).toBeGreaterThanOrEqual(1);
    for (const key of [
      'order_added',
      'removed',
      'thanks',
      'greeting',
      'goodbye',
      'unknown_drink',
      'fallback',
      'blocked_injection',
      'blocked_abuse',
      'did_you_mean',
      'swapped',
    ]) {
      expect(book.phrases[key]!.length, key).toBeGreaterThanOrEqual(2);
    }
  });

  it('never says the same variant twice in a row, in turns or out of them', () => {
    const keys = Object.keys(book.phrases).filter((k) => book.phrases[k]!.length > 1);
    for (const key of keys) {
      // A session's turns: each Voice remembers the last turn's choice through `recent`.
      let recent: Record<string, number> = {};
      let last: number | undefined;
      for (let turn = 0; turn < 300; turn++) {
        const voice = new Voice(book, turn * 7919, recent);
        voice.say(key);
        const picked = voice.picked[key]!;
        expect(picked, `${key} at turn ${turn}`).not.toBe(last);
        last = picked;
        recent = { ...recent, ...voice.picked };
      }
      // Out-of-turn lines share one memory per process.
      let said: string | undefined;
      for (let i = 0; i < 300; i++) {
        const text = line(key);
        if (new Set(book.phrases[key]).size > 1) expect(text, `${key} draw ${i}`).not.toBe(said);
        said = text;
      }
    }
  });
});
