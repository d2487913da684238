/**
 * Cartesia STT over its websocket in manual-finalize mode: our own endpointer decides when an
 * utterance ends (`finalize()`), Cartesia streams partial hypotheses for captions meanwhile.
 * Audio in: 16 kHz mono s16le, as everywhere in Maya.
 */
import type { SpeechToText, SttEvents, SttStream } from '../types.ts';
import { MENU } from '../../../shared/menu.ts';
import { ManualFinalizeWS, createCartesiaClient, wsOptions } from './client.ts';
import type { CartesiaConnection } from './client.ts';

/** The model Cartesia's current manual-finalize docs use (ink-whisper also works in this mode). */
export const CARTESIA_DEFAULT_STT_MODEL = 'ink-2';
export const STT_SAMPLE_RATE_HZ = 16_000;
/** The drinks' names, boosted so "Negroni" is not heard as "and a runny" (keyterm prompting). */
export const MENU_KEYTERMS = MENU.map((m) => m.name);

export interface CartesiaSttOptions extends CartesiaConnection {
  modelId?: string;
}

export class CartesiaStt implements SpeechToText {
  readonly name = 'cartesia';

  constructor(private readonly opts: CartesiaSttOptions) {}

  async start(events: SttEvents): Promise<SttStream> {
    const ws = new ManualFinalizeWS(
      createCartesiaClient(this.opts),
      { model: this.opts.modelId ?? CARTESIA_DEFAULT_STT_MODEL, encoding: 'pcm_s16le', sample_rate: STT_SAMPLE_RATE_HZ, language: 'en', keyterm: MENU_KEYTERMS },
      wsOptions(this.opts),
    );
    let opened = false;
    let closing = false;
    let finalText = '';
    await new Promise<void>((resolve, reject) => {
      ws.socket.on('open', () => {
        opened = true;
        resolve();
      });
      ws.on('error', (e) => (opened ? !closing && events.onError(e) : reject(e)));
      ws.on('close', (code: number) => {
        if (!opened) reject(new Error(`Cartesia STT connection closed (${code})`));
        else if (!closing) events.onError(new Error(`Cartesia STT connection closed (${code})`));
      });
    });
    // Transcript events are deltas: final ones are concatenated as sent (their own spacing kept),
    // a partial is the hypothesis for audio not yet final.
    ws.on('transcript', (ev) => {
      if (ev.is_final) finalText += ev.text;
      else events.onPartial(`${finalText}${ev.text}`.replace(/\s+/g, ' ').trim());
    });
    ws.on('flush_done', () => {
      const text = finalText.replace(/\s+/g, ' ').trim();
      finalText = '';
      events.onFinal(text, { openVocabulary: true });
    });
    return {
      write: (pcm) => ws.sendRaw(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)),
      finalize: () => ws.send('finalize'),
      close: () => {
        closing = true;
        ws.close({ code: 1000, reason: 'done' });
      },
    };
  }
}
