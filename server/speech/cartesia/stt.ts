/**
 * Cartesia STT over its websocket in manual-finalize mode: our own endpointer decides when an
 * utterance ends (`finalize()`), Cartesia streams partial hypotheses for captions meanwhile.
 * Audio in: 16 kHz mono s16le, as everywhere in Maya. A socket that closes while the guest is quiet
 * is reopened with their next words; one lost mid-utterance is reported, so the caller falls back.
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
  /** The live menu's drink names, read at each connection (default: the bundled menu's). */
  keyterms?: () => readonly string[];
}

export class CartesiaStt implements SpeechToText {
  readonly name = 'cartesia';

  constructor(private readonly opts: CartesiaSttOptions) {}

  async start(events: SttEvents): Promise<SttStream> {
    let closing = false;
    /** Audio went out since the last final transcript: a socket lost now loses speech. */
    let inUtterance = false;
    let finalText = '';
    let ws: ManualFinalizeWS | null = null;

    /** A new socket (sends are queued by the SDK until it is open) and when it opened. */
    const connect = (): { socket: ManualFinalizeWS; open: Promise<void> } => {
      const socket = new ManualFinalizeWS(
        createCartesiaClient(this.opts),
        {
          model: this.opts.modelId ?? CARTESIA_DEFAULT_STT_MODEL,
          encoding: 'pcm_s16le',
          sample_rate: STT_SAMPLE_RATE_HZ,
          language: 'en',
          keyterm: [...(this.opts.keyterms?.() ?? MENU_KEYTERMS)],
        },
        wsOptions(this.opts),
      );
      const open = new Promise<void>((resolve, reject) => {
        let opened = false;
        socket.socket.on('open', () => {
          opened = true;
          resolve();
        });
        socket.on('error', (e) => {
          if (!opened) reject(e);
          // Between utterances a failing socket costs nothing: the next audio opens a new one.
          else if (!closing && inUtterance && socket === ws) events.onError(e);
        });
        socket.on('close', (code: number) => {
          if (!opened) return reject(new Error(`Cartesia STT connection closed (${code})`));
          if (closing || socket !== ws) return;
          ws = null;
          // Closed between utterances (the service drops idle sockets): reconnect with the next
          // audio. Closed mid-utterance: that speech is lost here, so the caller falls back.
          if (inUtterance)
            events.onError(new Error(`Cartesia STT connection closed mid-utterance (${code})`));
        });
      });
      // Transcript events are deltas: final ones are concatenated as sent (their own spacing kept),
      // a partial is the hypothesis for audio not yet final.
      socket.on('transcript', (ev) => {
        if (ev.is_final) finalText += ev.text;
        else events.onPartial(`${finalText}${ev.text}`.replace(/\s+/g, ' ').trim());
      });
      socket.on('flush_done', () => {
        const text = finalText.replace(/\s+/g, ' ').trim();
        finalText = '';
        inUtterance = false;
        events.onFinal(text, { openVocabulary: true });
      });
      return { socket, open };
    };

    const first = connect();
    ws = first.socket;
    await first.open;
    return {
      write: (pcm) => {
        inUtterance = true;
        if (!ws) {
          const next = connect();
          ws = next.socket;
          next.open.catch((e: unknown) =>
            events.onError(e instanceof Error ? e : new Error(String(e))),
          );
        }
        ws.sendRaw(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
      },
      finalize: () => ws?.send('finalize'),
      close: () => {
        closing = true;
        ws?.close({ code: 1000, reason: 'done' });
      },
    };
  }
}
