/**
 * Cloud speech for one session, ready for the voice pipeline: Cartesia TTS (socket opened now, so
 * the first reply is warm) and STT, each wrapped so the embedded engine takes over if Cartesia
 * fails. Wiring (in the composition root): `const key = await app.keys.keyFor(sessionId, 'cartesia')`;
 * with a key use `cloudSpeechFor(...)`, without one the embedded engines.
 */
import type { Config } from '../../config.ts';
import type { SpeechToText, TextToSpeech } from '../types.ts';
import { withFallbackStt, withFallbackTts } from '../withFallback.ts';
import { CartesiaTts } from './tts.ts';
import { CartesiaStt } from './stt.ts';

export interface CloudSpeechDeps {
  apiKey: string;
  config: Pick<Config, 'CARTESIA_BASE_URL' | 'CARTESIA_VOICE_ID'>;
  /** Extra CA (CARTESIA_CA_FILE's contents), if any. */
  ca?: string | undefined;
  embedded: { tts: TextToSpeech; stt: SpeechToText };
  onFallback: (what: 'tts' | 'stt', err: unknown) => void;
  /** The live menu's drink names, boosted in Cartesia STT. */
  keyterms?: () => readonly string[];
}

export function cloudSpeechFor({
  apiKey,
  config,
  ca,
  embedded,
  onFallback,
  keyterms,
}: CloudSpeechDeps): { tts: TextToSpeech; stt: SpeechToText } {
  const conn = { apiKey, baseUrl: config.CARTESIA_BASE_URL, ca };
  const cartesiaTts = new CartesiaTts({ ...conn, voiceId: config.CARTESIA_VOICE_ID });
  return {
    tts: withFallbackTts(cartesiaTts, embedded.tts, (e) => onFallback('tts', e)),
    stt: withFallbackStt(
      new CartesiaStt({ ...conn, ...(keyterms && { keyterms }) }),
      embedded.stt,
      (e) => onFallback('stt', e),
    ),
  };
}
