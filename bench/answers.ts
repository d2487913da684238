/**
 * Answers bench (issue 14): how well the embedded recogniser hears the answer to a read-back
 * ("Just to check — two IPAs?"), listening in the open context and in the answer context (the
 * model that expects an answer). Each clip goes through the real front end (RNNoise, endpointer)
 * into one recogniser, as in a session; the brain's parser then says what it was: yes, no, or other.
 *
 * The danger is a "no" or a correction heard as "yes" (a charge the guest refused): it is counted
 * on its own. Voices are split: the tune voices chose `answerBoost`; the held-out voices report it.
 *
 * Each answer-context row is run for every weight in --answer-garbage (what each phone of the loop costs
 * against the answers when the first pass heard none: listenForAnswer's phoneScore); 'off' runs it without that listen.
 *
 * Run: npm run bench:answers [-- --boosts 1,60 --answer-garbage off,0.01 --voices tune|heldout|all --verbose]
 * Needs Debian's flite, espeak-ng, mbrola-us1..3 and sox (as bench:ears).
 */
import { parseArgs } from 'node:util';
import { parseIntent } from '../server/conversation/brain/intents.ts';
import { FrontEnd } from '../server/speech/embedded/frontEnd.ts';
import {
  createRecogniser,
  defaultRecogniserOptions,
} from '../server/speech/embedded/recogniser.ts';
import type { Recogniser } from '../server/speech/embedded/recogniser.ts';
import type { ListeningContext } from '../server/speech/types.ts';
import { loadSoundSwallower } from '../server/speech/embedded/soundswallower.ts';
import { defaultVadOptions } from '../server/speech/embedded/speechProtocol.ts';
import { closeVoices, missingTools, speak } from './ears/voices.ts';
import type { Voice } from './ears/voices.ts';

const YES = [
  'yes',
  'yeah',
  'yep',
  'yes please',
  'sure',
  "that's right",
  'correct',
  'yeah go ahead',
];
const NO = ['no', 'nope', 'no thanks', "no that's wrong", 'nah', 'no thank you'];
/** Not a yes: corrections and remarks said instead of an answer. */
const OTHER = [
  'no just one',
  'actually make it three',
  'what time do you close',
  'hang on a second',
];

const voice = (family: Voice['family'], name: string, snrDb?: number): Voice => ({
  id: `${family}-${name}${snrDb === undefined ? '' : `-snr${snrDb}`}`,
  family,
  name,
  ...(snrDb !== undefined && { snrDb }),
});
const TUNE_VOICES: Voice[] = [
  voice('flite', 'slt'),
  voice('espeak', 'en'),
  voice('mbrola', 'us2'),
  voice('mbrola', 'us2', 15),
  voice('flite', 'slt', 10),
];
const HELDOUT_VOICES: Voice[] = [
  voice('flite', 'awb'),
  voice('flite', 'rms'),
  voice('espeak', 'en-us'),
  voice('mbrola', 'us1'),
  voice('mbrola', 'us3'),
  voice('flite', 'rms', 15),
  voice('mbrola', 'us1', 15),
  voice('flite', 'awb', 10),
];

const { values: opts } = parseArgs({
  options: {
    boosts: { type: 'string', default: '1,60' },
    'answer-garbage': { type: 'string', default: 'off,0.01' },
    voices: { type: 'string', default: 'all' },
    /** List every answer not heard as what it was. */
    verbose: { type: 'boolean', default: false },
  },
});

type Heard = 'yes' | 'no' | 'other';
const heardAs = (text: string, rejected: boolean): Heard => {
  if (rejected || !text) return 'other';
  const kind = parseIntent(text).kind;
  return kind === 'yes' ? 'yes' : kind === 'no' ? 'no' : 'other';
};

/** The first utterance the front end finds in the clip, recognised in `context`. */
function recognise(fe: FrontEnd, rec: Recogniser, pcm: Int16Array, context: ListeningContext) {
  let started = false;
  let ended = false;
  rec.start(context);
  for (let at = 0; at < pcm.length && !ended; at += 480) {
    for (const ev of fe.process(pcm.subarray(at, at + 480))) {
      if (ev.kind === 'speech_start') started = true;
      else if (ev.kind === 'audio' && started && !ended)
        rec.write(Float32Array.from(ev.pcm, (x) => x / 32768));
      else if (ev.kind === 'speech_end' && started) ended = true;
    }
  }
  const r = rec.finish();
  fe.reset();
  return started ? r : { text: '', confidence: 0, rejected: true };
}

interface Tally {
  yesRight: number;
  yes: number;
  noRight: number;
  no: number;
  /** A no or a correction heard as yes: a charge the guest refused. */
  falseYes: number;
  notYes: number;
}
const empty = (): Tally => ({ yesRight: 0, yes: 0, noRight: 0, no: 0, falseYes: 0, notYes: 0 });
const pct = (a: number, b: number) => (b ? `${Math.round((100 * a) / b)}%` : '-');

async function main() {
  const voices =
    opts.voices === 'tune'
      ? TUNE_VOICES
      : opts.voices === 'heldout'
        ? HELDOUT_VOICES
        : [...TUNE_VOICES, ...HELDOUT_VOICES];
  const missing = missingTools(voices);
  if (missing.length) throw new Error(missing.join('\n'));
  const boosts = opts.boosts.split(',').map(Number);
  const listens = opts['answer-garbage'].split(',');
  const ss = await loadSoundSwallower();
  const fe = await FrontEnd.create(ss, defaultVadOptions);
  const lines: string[] = [];
  const totals = new Map<string, Tally>();
  console.log(
    'voice                split    boost listen  context | yes heard  | no heard   | false yes',
  );
  const settings = boosts.flatMap((boost) =>
    boost === 1 ? [{ boost, listen: 'off' }] : listens.map((listen) => ({ boost, listen })),
  );
  for (const { boost, listen } of settings) {
    const rec = await createRecogniser(ss, {
      answerBoost: boost,
      listenForAnswer: listen !== 'off',
      ...(listen !== 'off' && {
        answerGarbage: { ...defaultRecogniserOptions.answerGarbage, phoneScore: Number(listen) },
      }),
    });
    for (const v of voices) {
      const split = TUNE_VOICES.includes(v) ? 'tune' : 'heldout';
      for (const context of ['open', 'answer'] as const) {
        if (boost === 1 && context === 'answer') continue;
        const t = empty();
        for (const [texts, expected] of [
          [YES, 'yes'],
          [NO, 'no'],
          [OTHER, 'other'],
        ] as const) {
          for (const text of texts) {
            const clip = await speak(v, { text });
            const r = recognise(fe, rec, clip.pcm, context);
            const got = heardAs(r.text, r.rejected);
            if (opts.verbose && got !== expected)
              lines.push(
                `  ${v.id} boost ${boost} listen ${listen} ${context}: "${text}" → ${r.rejected ? '(rejected) ' : ''}"${r.text}" (${got})`,
              );
            if (expected === 'yes') {
              t.yes++;
              if (got === 'yes') t.yesRight++;
            } else {
              t.notYes++;
              if (got === 'yes') {
                t.falseYes++;
                if (!opts.verbose)
                  lines.push(
                    `  false yes: ${v.id} boost ${boost} listen ${listen} ${context}: "${text}" → "${r.text}"`,
                  );
              }
              if (expected === 'no') {
                t.no++;
                if (got === 'no') t.noRight++;
              }
            }
          }
        }
        const key = `${split} ${boost} ${listen} ${context}`;
        const sum = totals.get(key) ?? empty();
        for (const k of Object.keys(t) as (keyof Tally)[]) sum[k] += t[k];
        totals.set(key, sum);
        console.log(
          `${v.id.padEnd(20)} ${split.padEnd(8)} ${String(boost).padStart(5)} ${listen.padEnd(7)} ${context.padEnd(7)} | ${`${t.yesRight}/${t.yes}`.padEnd(10)} | ${`${t.noRight}/${t.no}`.padEnd(10)} | ${t.falseYes}/${t.notYes}`,
        );
      }
    }
    rec.delete();
  }
  console.log('\ntotals');
  for (const [key, t] of totals)
    console.log(
      `${key.padEnd(28)} yes ${pct(t.yesRight, t.yes).padStart(4)} (${t.yesRight}/${t.yes})  no ${pct(t.noRight, t.no).padStart(4)} (${t.noRight}/${t.no})  false yes ${t.falseYes}/${t.notYes}`,
    );
  if (lines.length) console.log(`\n${lines.join('\n')}`);
  await closeVoices();
}

await main();
