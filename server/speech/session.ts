/**
 * One connection's speech pipeline: microphone audio → VAD/endpointer → streaming STT (captions) →
 * the processor (the same path as typed text) → reply split into sentences → TTS → audio frames.
 * Barge-in: guest speech while a reply is being spoken cancels the rest of that reply.
 * Everything it tells the client is a `SpeechEvent` (shared/speech.ts) or a binary audio frame.
 */
import type { Logger } from 'pino';
import type { Emotion } from '../../shared/domain.ts';
import type { ServerMessage } from '../../shared/protocol.ts';
import type { SpeechControl } from '../../shared/speech.ts';
import type { SpeechToText, SttStream, TextToSpeech, Vad } from './types.ts';
import { speakable, splitSentences } from './speakable.ts';
import { EchoDetector } from './echo.ts';

export const defaultSpeechSessionOptions = {
  /** Guest speech must last this long while Maya speaks before it counts as barge-in (echo guard). */
  bargeInMinSpeechMs: 300,
  /** Reply audio goes out in binary frames of at most this many samples (250 ms at 16 kHz). */
  audioFrameSamples: 4000,
  /**
   * Synthesise the next sentence only when the audio already sent has less than this left to play:
   * the client never holds much unplayed audio, and barge-in has less to throw away.
   */
  ttsLookaheadMs: 1000,
  /** A longer first sentence is spoken in two parts (at a comma) so the first audio leaves sooner. */
  firstChunkMaxWords: 5,
  /** After the last reply sample is sent, Maya counts as speaking for its duration plus this. */
  playbackGraceMs: 300,
  /** What Maya says when the recogniser rejected the utterance (nothing reaches the tab). */
  notUnderstoodReply: "Sorry, I didn't catch that. Could you say it again?",
  /** A rejected utterance shorter than this (start to endpoint) is treated as noise: no apology. */
  minRejectedSpeechMs: 700,
  /** What Maya says when her voice engine failed mid-reply (the engine is restarted; the text reply stands). */
  voiceTroubleReply: 'Sorry, I lost my voice for a second. Your tab is safe.',
};
export type SpeechSessionOptions = typeof defaultSpeechSessionOptions;

export interface TurnMeta {
  source: 'voice';
  confidence?: number;
}

export interface SpeechSessionDeps {
  stt: SpeechToText;
  tts: TextToSpeech;
  createVad: () => Promise<Vad>;
  /** Run a guest turn through the processor; resolves with Maya's reply. */
  runTurn: (text: string, meta: TurnMeta) => Promise<{ text: string; emotion: Emotion }>;
  send: (msg: ServerMessage) => void;
  sendAudio: (pcm: Int16Array) => void;
  log: Logger;
  now?: () => number;
}

interface ActiveReply {
  id: number;
  abort: AbortController;
  /** Wall time (ms) until which the sent audio is still playing, as far as the server can tell. */
  playingUntilMs: number;
  clientEnded: boolean;
  /** Every word of the reply sent so far: what an echo of Maya's voice would be recognised as. */
  words: Set<string>;
}

/** "One Margarita, that's eleven dollars, coming right up." → "One Margarita," + "that's eleven …". */
export function firstClauseApart(sentences: string[], maxWords: number): string[] {
  const [first, ...rest] = sentences;
  if (!first || first.split(' ').length <= maxWords) return sentences;
  const cut = first.search(/,\s/);
  if (cut < 0 || first.slice(0, cut).split(' ').length < 2) return sentences;
  return [first.slice(0, cut + 1), first.slice(cut + 2), ...rest];
}

const wordsOf = (text: string) => text.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ').split(' ').filter(Boolean);

export class SpeechSession {
  private readonly options: SpeechSessionOptions;
  private readonly now: () => number;
  private ready: Promise<{ vad: Vad; stt: SttStream }> | null = null;
  private closed = false;
  private utteranceId = 0;
  private inUtterance = false;
  private utteranceStartMs = 0;
  private partial = '';
  /** Maya's words when the current utterance began during her reply (an echo would repeat them). */
  private echoWords: Set<string> | null = null;
  private readonly echo: EchoDetector;
  /** The current utterance looked like Maya's own voice coming back (see echo.ts). */
  private heardEcho = false;
  private nextReplyId = 1;
  private reply: ActiveReply | null = null;
  /** Audio work is applied in arrival order, even while the engines are still loading. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: SpeechSessionDeps, options: Partial<SpeechSessionOptions> = {}) {
    this.options = { ...defaultSpeechSessionOptions, ...options };
    this.now = deps.now ?? (() => performance.now());
    this.echo = new EchoDetector(this.now());
  }

  /** One binary frame of microphone audio (16 kHz mono s16le). */
  pushAudio(pcm: Int16Array): void {
    this.echo.heard(pcm, this.now());
    this.enqueue(async () => {
      const { vad, stt } = await this.engines();
      const events = vad.process(pcm);
      this.deps.log.trace({ samples: pcm.length, events: events.length }, 'audio frame');
      for (const ev of events) {
        if (ev.kind !== 'audio') this.deps.log.debug({ vad: ev.kind, atSec: ev.atSec, inUtterance: this.inUtterance }, 'vad');
        if (ev.kind === 'speech_start') this.speechStarted();
        else if (ev.kind === 'audio') {
          if (!this.inUtterance) this.speechStarted();
          stt.write(ev.pcm);
          this.maybeBargeIn();
        } else this.speechEnded(stt);
      }
    });
  }

  /** Speak a reply that did not come from a voice turn (a typed turn while voice is on). */
  speak(text: string): void {
    void this.say(text);
  }

  control(msg: SpeechControl): void {
    switch (msg.type) {
      case 'barge_in':
        this.interrupt('client');
        return;
      case 'end_of_speech':
        this.enqueue(async () => {
          if (this.inUtterance) this.speechEnded((await this.engines()).stt);
        });
        return;
      case 'playback':
        if (this.reply?.id === msg.replyId && msg.event !== 'started') this.reply.clientEnded = true;
        return;
    }
  }

  close(): void {
    this.closed = true;
    this.reply?.abort.abort();
    this.reply = null;
    void this.ready?.then(({ stt }) => stt.close(), () => undefined);
  }

  private enqueue(work: () => Promise<void>) {
    this.queue = this.queue.then(work).catch((err: unknown) => this.deps.log.error({ err }, 'speech pipeline failed'));
  }

  private engines() {
    this.ready ??= (async () => {
      const [vad, stt] = await Promise.all([
        this.deps.createVad(),
        this.deps.stt.start({
          onPartial: (text) => this.onPartial(text),
          onFinal: (text, info) => this.onFinal(text, info),
          onError: (err) => this.deps.log.warn({ err }, 'recogniser error'),
        }),
      ]);
      if (this.closed) stt.close();
      return { vad, stt };
    })();
    return this.ready;
  }

  private speechStarted() {
    if (this.inUtterance) return;
    this.inUtterance = true;
    this.utteranceId++;
    this.utteranceStartMs = this.now();
    this.partial = '';
    this.echoWords = this.speaking() && this.reply ? this.reply.words : null;
    this.heardEcho = false;
    this.deps.send({ type: 'speech_started', utteranceId: this.utteranceId });
  }

  private speechEnded(stt: SttStream) {
    if (!this.inUtterance) return;
    this.inUtterance = false;
    this.deps.send({ type: 'speech_ended', utteranceId: this.utteranceId });
    stt.finalize();
  }

  private onPartial(text: string) {
    this.partial = text;
    if (this.inUtterance) this.deps.send({ type: 'transcript_partial', utteranceId: this.utteranceId, text });
    this.maybeBargeIn();
  }

  private onFinal(text: string, info: { confidence?: number; rejected?: boolean }) {
    const echo = this.echoWords !== null && (this.heardEcho || wordsOf(text).every((w) => this.echoWords?.has(w)));
    const rejected = info.rejected === true || text.trim() === '' || echo;
    this.deps.send({ type: 'transcript_final', utteranceId: this.utteranceId, text, rejected });
    if (rejected) {
      // A rejected request deserves an answer; a cough or a word said over Maya does not.
      const heardSomething = text.trim() !== '' || this.now() - this.utteranceStartMs > this.options.minRejectedSpeechMs;
      if (!this.speaking() && heardSomething && !echo) void this.say(this.options.notUnderstoodReply, true);
      return;
    }
    const meta: TurnMeta = info.confidence === undefined ? { source: 'voice' } : { source: 'voice', confidence: info.confidence };
    this.deps.runTurn(text, meta).then(
      (reply) => this.say(reply.text),
      (err: unknown) => this.deps.log.error({ err }, 'voice turn failed'),
    );
  }

  /** Is a reply being synthesised or (as far as we know) still playing? */
  private speaking(): boolean {
    const r = this.reply;
    return r !== null && !r.abort.signal.aborted && !r.clientEnded && (r.playingUntilMs === 0 || this.now() < r.playingUntilMs);
  }

  /**
   * Echo guard (behind the browser's echo cancellation): only sustained speech that the recogniser
   * turns into words, not all of which Maya is saying herself, interrupts her.
   */
  private maybeBargeIn() {
    const r = this.reply;
    if (!r || !this.inUtterance || !this.speaking()) return;
    if (this.now() - this.utteranceStartMs < this.options.bargeInMinSpeechMs || this.partial === '') return;
    if (wordsOf(this.partial).every((w) => r.words.has(w))) return;
    const echoScore = this.echo.bestCorrelation();
    this.deps.log.debug({ echoScore, partial: this.partial }, 'barge-in candidate');
    this.heardEcho = echoScore > this.echo.threshold;
    if (this.heardEcho) return;
    // The guest, not an echo: nothing of this utterance is to be judged against Maya's words.
    this.echoWords = null;
    this.interrupt('barge_in');
  }

  private interrupt(reason: 'barge_in' | 'new_reply' | 'client') {
    const r = this.reply;
    if (!r || r.abort.signal.aborted) return;
    r.abort.abort();
    this.reply = null;
    this.deps.send({ type: 'interrupted', replyId: r.id, reason });
  }

  private async say(text: string, withReplyMessage = false, isApology = false) {
    if (this.closed) return;
    if (this.speaking()) this.interrupt('new_reply');
    if (withReplyMessage) this.deps.send({ type: 'reply', text, emotion: 'neutral' });
    const reply: ActiveReply = { id: this.nextReplyId++, abort: new AbortController(), playingUntilMs: 0, clientEnded: false, words: new Set() };
    this.reply = reply;
    const sentences = firstClauseApart(splitSentences(text).map(speakable).filter(Boolean), this.options.firstChunkMaxWords);
    let audioEndMs = 0;
    try {
      for (const [index, sentence] of sentences.entries()) {
        while (index > 0 && audioEndMs - this.now() > this.options.ttsLookaheadMs) {
          await new Promise((r) => setTimeout(r, Math.min(100, audioEndMs - this.now() - this.options.ttsLookaheadMs)));
          if (reply.abort.signal.aborted) return;
        }
        for await (const chunk of this.deps.tts.synthesize(sentence, reply.abort.signal)) {
          if (reply.abort.signal.aborted) return;
          for (const w of wordsOf(sentence)) reply.words.add(w);
          this.deps.send({
            type: 'reply_audio',
            replyId: reply.id,
            sentence: index,
            sentences: sentences.length,
            text: sentence,
            encoding: 'pcm_s16le',
            sampleRate: chunk.sampleRate,
            channels: 1,
            samples: chunk.pcm.length,
            words: chunk.words ?? [],
            phones: chunk.phones ?? [],
          });
          this.echo.prune(this.now());
          this.echo.played(chunk.pcm, Math.max(audioEndMs, this.now()));
          for (let at = 0; at < chunk.pcm.length; at += this.options.audioFrameSamples) {
            this.deps.sendAudio(chunk.pcm.subarray(at, at + this.options.audioFrameSamples));
          }
          audioEndMs = Math.max(audioEndMs, this.now()) + (chunk.pcm.length / chunk.sampleRate) * 1000;
          reply.playingUntilMs = audioEndMs + this.options.playbackGraceMs;
        }
      }
    } catch (err) {
      this.deps.log.error({ err }, 'speech synthesis failed');
      // The engine died mid-reply (a crashed worker is replaced on the next synthesis): apologise
      // out loud once, and carry on. The reply's text was already sent as captions.
      if (!reply.abort.signal.aborted && !isApology && !this.closed) void this.say(this.options.voiceTroubleReply, true, true);
    }
  }
}
