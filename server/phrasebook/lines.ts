/**
 * Lines Maya speaks outside a turn's Voice — payment announcements and overlay buttons, the spoken
 * form of domain errors, the speech session's apologies, the backup-voice notice — taken from the same
 * phrasebook as every turn reply, so every spoken line lives in one file. One memory per process of
 * the variant last used per phrase: the next draw of that phrase picks another.
 */
import { Voice, loadPhrasebook } from './persona.ts';
import type { Phrasebook } from './persona.ts';

let book: Phrasebook | undefined;
const recent: Record<string, number> = {};
let draws = 0;

/** The phrasebook the out-of-turn lines read (loaded once, on first use). */
export function phrasebook(): Phrasebook {
  book ??= loadPhrasebook();
  return book;
}

/** Phrase `key` with {placeholders} filled; `index` pins a variant (for lines a test or the overlay must match). */
export function line(
  key: string,
  vars: Readonly<Record<string, string | number>> = {},
  index?: number,
): string {
  const voice = new Voice(phrasebook(), draws++, recent);
  const text = voice.say(key, vars, index);
  Object.assign(recent, voice.picked);
  return text;
}

/** Like line(), for a piece placed inside another phrase: no sentence capital forced. */
export function fragment(
  key: string,
  vars: Readonly<Record<string, string | number>> = {},
  index?: number,
): string {
  const voice = new Voice(phrasebook(), draws++, recent);
  const text = voice.fragment(key, vars, index);
  Object.assign(recent, voice.picked);
  return text;
}
