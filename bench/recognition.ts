/**
 * Development harness for the embedded recogniser: my own spoken orders and remarks (written for
 * tuning; NOT the blind set under bench/ears), synthesised with Debian's voices (Flite slt, rms, awb,
 * kal16; eSpeak-NG en-us; MBROLA us1..3), optionally with pink noise at 15 dB SNR, decoded directly
 * with `createRecogniser` (no websocket), old hand grammar vs the domain language model.
 *
 * Prints per voice and configuration: WER, slot-exact (the brain's intent from the hypothesis equals
 * the one from the reference: drinks, quantities, tip percent), rejected, false accepts on
 * non-orders (a chargeable intent from a remark), the confidence distribution (right orders below
 * the read-back threshold), and the decode CPU real-time factor.
 *
 * Usage: npm run bench:recognition -- [--voices slt,mb-us1] [--configs grammar,lm,lm:decoder.ds=2] [--noise] [--denoise] [--verbose]
 * `--denoise` runs every clip through the live path's RNNoise first (as the speech worker does).
 * `--doubts` weighs each doubt of the recogniser: the right orders it reads back against the wrong
 * charges (and remarks that would charge) it stops, each also counted where it alone held.
 * Audio is cached under .cache/recognition (git-ignored).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIntent } from '../server/conversation/brain/intents.ts';
import type { Intent } from '../server/conversation/brain/intents.ts';
import { spokenForm } from '../server/speech/embedded/corpus.ts';
import {
  createRecogniser,
  defaultRecogniserOptions,
} from '../server/speech/embedded/recogniser.ts';
import type {
  Doubt,
  Recognition,
  RecogniserOptions,
} from '../server/speech/embedded/recogniser.ts';
import { loadSoundSwallower } from '../server/speech/embedded/soundswallower.ts';
import { LATENCY_SAMPLES_16K, createDenoiser } from '../server/speech/embedded/denoise.ts';
import type { Denoiser } from '../server/speech/embedded/denoise.ts';

const SAMPLE_RATE_HZ = 16_000;
const PAD_MS = 300;
const NOISE_SNR_DB = 15;
/** The processor reads an order back (charging only on "yes") below this confidence. */
const READ_BACK_BELOW = 0.8;
const CACHE_DIR = join(process.cwd(), '.cache', 'recognition');

/** Things a guest wants done (each has a chargeable or state-changing intent). */
const ORDERS = [
  'yeah can i get two pale ales',
  'okay so one negroni and one whiskey sour',
  'a gin on the rocks please',
  'um three tap beers',
  'could we get a bottle of red wine',
  'i will take a cosmopolitan',
  'two vodkas neat thanks',
  'so a tequila and a lemonade',
  'hey maya four beers for the table',
  'just an iced tea for me',
  'let me get a dirty martini',
  'i would like one mojito please',
  'another round of margaritas',
  'can we have five waters',
  'yeah a brandy',
  'one old fashioned and two manhattans',
  'i think i will have a daiquiri',
  'a long island iced tea please',
  'two classic brews and a soda',
  'give me a double whiskey',
  'okay um six shots of tequila',
  'i will have the ipa',
  'so two white wines please',
  'a rum and a coke',
  'could i have a glass of water',
  'three cosmos for us',
  'one more negroni please',
  'a beer and a glass of white',
  'make that two',
  'actually make it a double',
  'cancel the margarita',
  'take the beer off please',
  'add a twenty percent tip',
  'let us do fifteen percent',
  'ten percent tip please',
  'no tip thanks',
  'i want to pay now',
  'can i have the bill please',
  'yes',
  'yeah that is right',
  'no',
  'nope that is wrong',
  'yes please',
  'what do you recommend',
  'something fruity please',
  'what is my total',
] as const;

/** Remarks and questions: never a charge. */
const NON_ORDERS = [
  'what time do you close',
  'how much is a margarita',
  'do you have any red wine',
  'how much are the beers',
  'what is in a negroni',
  'tell me a joke',
  'where is the bathroom',
  'i had such a long day at work',
  'is the mojito strong',
  'my friend will be here soon',
  'this music is great',
  'do you take credit cards',
  'what is your name',
  'i am not sure yet',
  'the weather is terrible today',
  'can you recommend a good restaurant nearby',
] as const;

/** Intent kinds that move money or the order (a remark must never produce one). */
const CHARGEABLE = new Set<Intent['kind']>([
  'order',
  'set_quantity',
  'repeat_last',
  'repeat_round',
  'tip',
  'remove',
  'cancel_last',
  'cancel_all',
  'pay',
]);

interface Voice {
  name: string;
  synth: (text: string, wav: string) => void;
}
const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'] });
const VOICES: Voice[] = [
  ...['slt', 'rms', 'awb', 'kal16'].map((v) => ({
    name: v,
    synth: (t: string, wav: string) => run('flite', ['-voice', v, '-t', t, '-o', wav]),
  })),
  { name: 'espeak', synth: (t, wav) => run('espeak-ng', ['-v', 'en-us', '-w', wav, t]) },
  ...['mb-us1', 'mb-us2', 'mb-us3'].map((v) => ({
    name: v,
    synth: (t: string, wav: string) => run('espeak-ng', ['-v', v, '-w', wav, t]),
  })),
];

/** 16 kHz mono s16 samples of `text` in `voice` (cached), with PAD_MS of silence both sides. */
function speech(voice: Voice, text: string): Int16Array {
  const dir = join(CACHE_DIR, voice.name);
  mkdirSync(dir, { recursive: true });
  const id = createHash('sha1').update(text).digest('hex').slice(0, 12);
  const raw = join(dir, `${id}.raw`);
  if (!existsSync(raw)) {
    const wav = join(dir, `${id}.wav`);
    voice.synth(text, wav);
    const pad = (PAD_MS / 1000).toFixed(2);
    run('sox', [
      wav,
      '-r',
      String(SAMPLE_RATE_HZ),
      '-c',
      '1',
      '-b',
      '16',
      '-e',
      'signed-integer',
      '-t',
      'raw',
      raw,
      'pad',
      pad,
      pad,
    ]);
  }
  const b = readFileSync(raw);
  return new Int16Array(b.buffer, b.byteOffset, b.length / 2);
}

/** Pink noise (Paul Kellet's filter over a seeded white source) mixed in at `snrDb` below the speech. */
/** `pcm` through the live path's noise suppression, realigned (its fixed delay removed). */
function denoised(d: Denoiser, pcm: Int16Array): Int16Array {
  d.reset();
  const padded = new Int16Array(pcm.length + LATENCY_SAMPLES_16K);
  padded.set(pcm);
  const out = new Int16Array(padded.length);
  for (let i = 0; i < padded.length; i += 1600) out.set(d.process(padded.subarray(i, i + 1600)), i);
  return out.subarray(LATENCY_SAMPLES_16K);
}

function withPinkNoise(pcm: Int16Array, snrDb: number, seed: number): Int16Array {
  let s = seed >>> 0;
  const white = () => ((s = (s * 1_103_515_245 + 12_345) >>> 0) / 4294967296) * 2 - 1;
  let b0 = 0,
    b1 = 0,
    b2 = 0,
    b3 = 0,
    b4 = 0,
    b5 = 0,
    b6 = 0;
  const noise = new Float64Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) {
    const w = white();
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856;
    b4 = 0.55 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.016898;
    noise[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
  }
  // Speech power over the samples that are speech (above 1 % of the peak), noise power over all.
  const peak = pcm.reduce((m, x) => Math.max(m, Math.abs(x)), 1);
  let sp = 0,
    sn = 0,
    n = 0;
  for (let i = 0; i < pcm.length; i++)
    if (Math.abs(pcm[i]!) > peak * 0.01) {
      sp += pcm[i]! ** 2;
      n++;
    }
  for (const x of noise) sn += x * x;
  const gain = Math.sqrt(sp / Math.max(1, n) / (sn / noise.length) / 10 ** (snrDb / 10));
  return Int16Array.from(pcm, (x, i) =>
    Math.max(-32768, Math.min(32767, Math.round(x + noise[i]! * gain))),
  );
}

function wordErrors(ref: string[], hyp: string[]): number {
  const row = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= hyp.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[hyp.length]!;
}

/** The slots that matter for money: kind, drinks and quantities (modifiers ignored), tip percent. */
function slots(text: string): string {
  const i = parseIntent(text);
  if (i.kind === 'order' || i.kind === 'ask_drink')
    return JSON.stringify([i.kind, i.items.map((s) => [s.item, s.quantity]).sort()]);
  return JSON.stringify(i);
}

interface Tally {
  n: number;
  words: number;
  errors: number;
  right: number;
  rejected: number;
  readBackRight: number;
  wrongHighConfidence: number;
  nonOrders: number;
  falseAccepts: number;
  falseCharges: number;
  cpuMs: number;
  audioMs: number;
  confidences: number[];
}
const emptyTally = (): Tally => ({
  n: 0,
  words: 0,
  errors: 0,
  right: 0,
  rejected: 0,
  readBackRight: 0,
  wrongHighConfidence: 0,
  nonOrders: 0,
  falseAccepts: 0,
  falseCharges: 0,
  cpuMs: 0,
  audioMs: 0,
  confidences: [],
});

function args(name: string): string[] | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : (process.argv[i + 1] ?? '').split(',').filter(Boolean);
}

const CONFIGS: Record<string, Partial<RecogniserOptions>> = {
  grammar: { language: 'grammar' },
  rich: { language: 'grammar', richer: true },
  lm: { language: 'lm' },
};

async function main() {
  const voices = VOICES.filter((v) => !args('voices') || args('voices')!.includes(v.name));
  const configs = (args('configs') ?? ['grammar', 'lm']).map((c) => {
    const [name, ...kv] = c.split(':');
    // Numbers stay numbers; anything else (warp_type=inverse_linear) is passed as a string.
    const pairs = kv
      .map((p) => p.split('='))
      .map(([k, v = '']) => [k!, v !== '' && Number.isFinite(Number(v)) ? Number(v) : v] as const);
    // "decoder.ds=2" overrides one pocketsphinx setting of the first pass; other keys are options.
    const decoder = Object.fromEntries(
      pairs.filter(([k]) => k.startsWith('decoder.')).map(([k, v]) => [k.slice(8), v]),
    );
    const extra = Object.fromEntries(pairs.filter(([k]) => !k.startsWith('decoder.')));
    return {
      label: c,
      options: {
        ...CONFIGS[name!],
        ...extra,
        decoder: { ...defaultRecogniserOptions.decoder, ...decoder },
      } as Partial<RecogniserOptions>,
    };
  });
  const conditions = process.argv.includes('--noise')
    ? ['clean', 'noisy']
    : process.argv.includes('--noise-only')
      ? ['noisy']
      : ['clean'];
  const verbose = process.argv.includes('--verbose');
  const ss = await loadSoundSwallower();
  const denoiser = process.argv.includes('--denoise') ? await createDenoiser() : null;
  const items = [
    ...ORDERS.map((t) => ({ text: t, order: true })),
    ...NON_ORDERS.map((t) => ({ text: t, order: false })),
  ];
  console.log(
    `dev set: ${ORDERS.length} requests + ${NON_ORDERS.length} remarks; voices ${voices.map((v) => v.name).join(' ')}; read back below ${READ_BACK_BELOW}`,
  );
  console.log(
    'config\tcondition\tvoice\tWER\tslot-exact\trejected\tright<0.8\twrong>=0.8\tfalse-accepts\tof-them>=0.8\tRTF\tconfidence p10/p50',
  );
  const explain = process.argv.includes('--doubts');
  for (const cfg of configs) {
    const recogniser = await createRecogniser(ss, {
      ...defaultRecogniserOptions,
      ...cfg.options,
      explainDoubts: explain,
    });
    const doubtTally: Partial<
      Record<Doubt, { right: number; rightAlone: number; wouldCharge: number; caughtAlone: number }>
    > = {};
    let uncaught = 0;
    const total = emptyTally();
    for (const condition of conditions) {
      for (const voice of voices) {
        const t = emptyTally();
        for (const [k, item] of items.entries()) {
          let pcm = speech(voice, item.text);
          if (condition === 'noisy') pcm = withPinkNoise(pcm, NOISE_SNR_DB, k + 1);
          if (denoiser) pcm = denoised(denoiser, pcm);
          const f = Float32Array.from(pcm, (x) => x / 32768);
          const before = process.cpuUsage();
          recogniser.start();
          for (let i = 0; i < f.length; i += 1600) recogniser.write(f.subarray(i, i + 1600));
          const r: Recognition = recogniser.finish();
          const used = process.cpuUsage(before);
          t.cpuMs += (used.user + used.system) / 1000;
          t.audioMs += (pcm.length / SAMPLE_RATE_HZ) * 1000;
          const ref = spokenForm(item.text);
          const hyp = r.rejected ? '' : r.text;
          t.words += ref.split(' ').length;
          t.errors += wordErrors(ref.split(' '), r.text ? r.text.split(' ') : []);
          const ok = !r.rejected && slots(hyp) === slots(ref);
          const chargeable = !r.rejected && CHARGEABLE.has(parseIntent(hyp).kind);
          if (item.order) {
            t.n++;
            if (ok) t.right++;
            if (r.rejected) t.rejected++;
            if (ok && r.confidence < READ_BACK_BELOW) t.readBackRight++;
            if (!ok && chargeable && r.confidence >= READ_BACK_BELOW) t.wrongHighConfidence++;
            if (ok) t.confidences.push(r.confidence);
          } else {
            t.nonOrders++;
            if (chargeable) t.falseAccepts++;
            if (chargeable && r.confidence >= READ_BACK_BELOW) t.falseCharges++;
          }
          if (explain && !r.rejected) {
            // What each doubt does: read back a right order (a cost), or stop a wrong charge (its worth).
            const kind = ok && item.order ? 'right' : chargeable ? 'wouldCharge' : null;
            for (const d of kind ? (r.doubts ?? []) : []) {
              const row = (doubtTally[d] ??= {
                right: 0,
                rightAlone: 0,
                wouldCharge: 0,
                caughtAlone: 0,
              });
              const alone = r.doubts!.length === 1;
              if (kind === 'right') {
                row.right++;
                if (alone) row.rightAlone++;
              } else {
                row.wouldCharge++;
                if (alone) row.caughtAlone++;
              }
            }
            if (kind === 'wouldCharge' && !r.doubts?.length) uncaught++;
          }
          if (verbose && (!ok || r.confidence < READ_BACK_BELOW))
            console.log(
              `  ${cfg.label} ${voice.name} ${condition}: "${item.text}" → "${r.text}" conf ${r.confidence.toFixed(2)}${r.rejected ? ' REJECTED' : ''}${ok ? '' : ' WRONG'}`,
            );
        }
        print(cfg.label, condition, voice.name, t);
        merge(total, t);
      }
    }
    print(cfg.label, conditions.join('+'), 'ALL', total);
    if (explain) {
      console.log(
        `doubts (${cfg.label}): right orders read back (alone) | wrong or remark charges stopped (alone); ${uncaught} such charges no doubt stopped`,
      );
      for (const [d, row] of Object.entries(doubtTally))
        console.log(
          `  ${d.padEnd(20)} ${row.right} (${row.rightAlone}) | ${row.wouldCharge} (${row.caughtAlone})`,
        );
    }
    recogniser.delete();
  }
}

function merge(a: Tally, b: Tally) {
  for (const k of [
    'n',
    'words',
    'errors',
    'right',
    'rejected',
    'readBackRight',
    'wrongHighConfidence',
    'nonOrders',
    'falseAccepts',
    'falseCharges',
    'cpuMs',
    'audioMs',
  ] as const)
    a[k] += b[k];
  a.confidences.push(...b.confidences);
}

function print(config: string, condition: string, voice: string, t: Tally) {
  const c = [...t.confidences].sort((a, b) => a - b);
  const q = (p: number) =>
    c.length ? c[Math.min(c.length - 1, Math.floor(p * c.length))]!.toFixed(2) : '-';
  console.log(
    [
      config,
      condition,
      voice,
      `${((100 * t.errors) / t.words).toFixed(1)}%`,
      `${t.right}/${t.n}`,
      `${t.rejected}`,
      `${t.readBackRight}/${t.right}`,
      `${t.wrongHighConfidence}`,
      `${t.falseAccepts}/${t.nonOrders}`,
      `${t.falseCharges}`,
      (t.cpuMs / t.audioMs).toFixed(3),
      `${q(0.1)}/${q(0.5)}`,
    ].join('\t'),
  );
}

await main();
