/**
 * Loading a weighted FSG (languageModel.ts) into a soundswallower decoder through the C functions
 * its WASM module exports. Why: its JS API only takes JSGF text, whose weights cannot express a
 * back-off language model compactly; the exported FSG builder (the same calls `set_grammar` makes
 * after parsing JSGF) can.
 *
 * Units: arc log-probabilities are in the decoder's logmath units (log base 1.0001), scaled by
 * `languageWeight` (how strongly word-sequence probabilities count against the acoustics).
 */
import type { Decoder, SoundSwallowerModule } from 'soundswallower';
import type { Fsg } from './languageModel.ts';

/** The C exports used here (present in soundswallower 0.6.3's build, untyped in its .d.ts). */
interface FsgExports {
  _fsg_model_init(name: number, logmath: number, lw: number, nStates: number): number;
  _fsg_model_word_add(fsg: number, word: number): number;
  _fsg_model_trans_add(fsg: number, from: number, to: number, logp: number, wid: number): void;
  _fsg_model_null_trans_add(fsg: number, from: number, to: number, logp: number): number;
  _fsg_set_states(fsg: number, start: number, final: number): void;
  _decoder_set_fsg(decoder: number, fsg: number): number;
  _decoder_logmath(decoder: number): number;
  _logmath_log(logmath: number, p: number): number;
  _decoder_hyp(decoder: number, outBestScore: number): number;
  _malloc(size: number): number;
  _free(ptr: number): void;
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
}

function fsgExports(ss: SoundSwallowerModule): FsgExports {
  const m = ss as unknown as Partial<FsgExports>;
  for (const name of [
    '_fsg_model_init',
    '_fsg_model_word_add',
    '_fsg_model_trans_add',
    '_fsg_model_null_trans_add',
    '_fsg_set_states',
    '_decoder_set_fsg',
    '_decoder_logmath',
    '_logmath_log',
    '_decoder_hyp',
  ] as const) {
    if (typeof m[name] !== 'function') throw new Error(`soundswallower does not export ${name}`);
  }
  return m as FsgExports;
}

function cDecoder(decoder: Decoder): number {
  const c = (decoder as unknown as { cdecoder?: number }).cdecoder;
  if (typeof c !== 'number' || c === 0) throw new Error('decoder has no C handle');
  return c;
}

function withCString<T>(m: FsgExports, s: string, use: (ptr: number) => T): T {
  const bytes = new TextEncoder().encode(s);
  const ptr = m._malloc(bytes.length + 1);
  if (!ptr) throw new Error('malloc failed');
  m.HEAPU8.set(bytes, ptr);
  m.HEAPU8[ptr + bytes.length] = 0;
  try {
    return use(ptr);
  } finally {
    m._free(ptr);
  }
}

/** The lowest log-probability an arc gets (keeps int32 arithmetic in the search far from overflow). */
const MIN_LOGP = -2_000_000;

/** Replace the decoder's search with this FSG. Every word must be in the decoder's dictionary. */
export function setFsg(
  ss: SoundSwallowerModule,
  decoder: Decoder,
  fsg: Fsg,
  languageWeight: number,
): void {
  const m = fsgExports(ss);
  const cdec = cDecoder(decoder);
  const logmath = m._decoder_logmath(cdec);
  const lw = Number(decoder.get_config('lw'));
  const handle = withCString(m, 'lm', (name) =>
    m._fsg_model_init(name, logmath, lw, fsg.stateCount),
  );
  if (!handle) throw new Error('fsg_model_init failed');
  const wids = new Map<string, number>();
  const logp = (p: number) =>
    Math.max(MIN_LOGP, Math.round(m._logmath_log(logmath, p) * languageWeight));
  for (const arc of fsg.arcs) {
    if (arc.prob <= 0) continue;
    if (arc.word === null) {
      m._fsg_model_null_trans_add(handle, arc.from, arc.to, Math.min(0, logp(arc.prob)));
      continue;
    }
    let wid = wids.get(arc.word);
    if (wid === undefined) {
      const word = arc.word;
      wid = withCString(m, word, (ptr) => m._fsg_model_word_add(handle, ptr));
      wids.set(word, wid);
    }
    m._fsg_model_trans_add(handle, arc.from, arc.to, logp(arc.prob), wid);
  }
  m._fsg_set_states(handle, fsg.start, fsg.final);
  if (m._decoder_set_fsg(cdec, handle) < 0)
    throw new Error('Failed to set FSG in decoder (a word missing from the dictionary?)');
}

/** The best path's total score (acoustic + language, log units) of the current hypothesis. */
export function hypothesisScore(ss: SoundSwallowerModule, decoder: Decoder): number {
  const m = fsgExports(ss);
  const out = m._malloc(4);
  try {
    m._decoder_hyp(cDecoder(decoder), out);
    return m.HEAP32[out >> 2]!;
  } finally {
    m._free(out);
  }
}
