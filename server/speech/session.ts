/**
 * One connection's speech pipeline: microphone audio → VAD/endpointer → streaming STT (captions) →
 * the processor (the same path as typed text) → reply sentences, as the brain writes them → TTS →
 * audio frames. Barge-in: guest speech while a reply is being spoken cancels the rest of that reply.
 * Everything it tells the client is a `SpeechEvent` (shared/speech.ts) or a binary audio frame.
 */
import type { Logger } from 'pino';
import type { Emotion } from '../../shared/domain.ts';
import type { ServerMessage } from '../../shared/protocol.ts';
import { diesWithReply } from '../../shared/speech.ts';
import type { SpeechControl, SpeechEvent } from '../../shared/speech.ts';
import { SpeechEngineClosedError } from './types.ts';
import type {
  FinalInfo,
  ListeningContext,
  SpeechToText,
  SttStream,
  TextToSpeech,
  Vad,
} from './types.ts';
import { splitSentences } from '../text/sentences.ts';
import { speakable } from '../text/speakable.ts';
import { EchoDetector } from './echo.ts';
import { defaultEndOfTurnOptions, soundsUnfinished } from './endOfTurn.ts';
import { heardPart } from './heard.ts';
import { line } from '../phrasebook/lines.ts';
import type { SentAudio } from './heard.ts';

/** Frames (30 ms) of audio after a short pause handed to the next utterance when the guest goes on. */
const RESUME_LOOKBACK_FRAMES = 10;

export const defaultSpeechSessionOptions = {
  /**
   * End a request that sounds complete at the VAD's short pause ('pause' event), not only at the
   * endpointer's end of speech.
   */
  endAtShortPause: true,
  /** How long after a short pause the running hypothesis is read (it catches up with the audio). */
  pauseSettleMs: 40,
  /** Guest speech must last this long while Maya speaks before it counts as barge-in (echo guard). */
  bargeInMinSpeechMs: 300,
  /** …and sound unlike her own voice for this long (two checks, not one unlucky one). */
  bargeInConfirmMs: 100,
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
  get notUnderstoodReply(): string {
    return line('not_understood');
  },
  /** A rejected utterance shorter than this (start to endpoint) is treated as noise: no apology. */
  minRejectedSpeechMs: 700,
  /** The most a transcript heard in a loud room is trusted (the processor reads orders back below 0.8). */
  noisyRoomConfidence: 0.7,
  /** What Maya says when she asked a yes/no question and the answer was not understood. */
  get answerNotUnderstoodReply(): string {
    return line('answer_not_understood');
  },
  /** What Maya says when her voice engine failed mid-reply (the engine is restarted; the text reply stands). */
  get voiceTroubleReply(): string {
    return line('voice_trouble');
  },
  /** What Maya says when her ears failed mid-utterance (the engine is replaced; nothing was charged). */
  get earTroubleReply(): string {
    return line('ear_trouble');
  },
  /**
   * What Maya says when she cannot listen at all (no speech engine can start): once, and again at
   * most every `earsDownNoticeEveryMs` while the guest keeps talking, never once per audio frame.
   */
  get earsDownReply(): string {
    return line('ears_down');
  },
  earsDownNoticeEveryMs: 30_000,
  /** After an interruption, how long to wait for the client to say how much of the reply it played. */
  playbackReportWaitMs: 500,
  ...defaultEndOfTurnOptions,
};
export type SpeechSessionOptions = typeof defaultSpeechSessionOptions;

export interface TurnMeta {
  source: 'voice';
  confidence?: number;
  openVocabulary?: boolean;
  alternatives?: string[];
}

export interface SpeechEngines {
  stt: SpeechToText;
  tts: TextToSpeech;
}

export interface SpeechSessionDeps {
  /**
   * This session's engines (Cartesia with the embedded ones behind it, or embedded only). Asked when
   * listening starts and before every reply, so a key the guest gives mid-session takes effect.
   */
  engines: () => Promise<SpeechEngines>;
  createVad: () => Promise<Vad>;
  /**
   * Run a guest turn through the processor. Each sentence of Maya's reply goes to `onSentence` as
   * soon as it is ready, so she starts speaking while the model is still writing.
   */
  runTurn: (
    text: string,
    meta: TurnMeta,
    onSentence: (sentence: string) => void,
    signal: AbortSignal,
  ) => Promise<{ text: string; emotion: Emotion }>;
  send: (msg: ServerMessage) => void;
  sendAudio: (pcm: Int16Array) => void;
  /**
   * The guest cut a turn's reply off: only `heard` of `said` was played. The conversation history
   * keeps what the guest heard, not what the brain wrote.
   */
  replyHeard?: (said: string, heard: string) => void;
  log: Logger;
  now?: () => number;
}

/** A reply spoken while it is still being written: sentences go in as they come, then `end`. */
export interface ReplyStream {
  push(sentence: string): void;
  end(): void;
  /**
   * The turn is over and its whole reply (as written to the history) was `said`: if the guest cuts
   * the reply off, now or later, the history keeps only what had played.
   */
  settle(said: string): void;
  /** Aborted when the guest cuts this reply off: whoever writes it can stop. */
  readonly signal: AbortSignal;
}

/**
 * Where a reply is in its life. `writing`: more sentences may come; `written`: the brain is done;
 * `sent`: every sentence's audio went out (`reply_end`); `played`: the client says it finished
 * playing; `interrupted`: cut off (barge-in, a new reply) — nothing of it goes out any more.
 */
type ReplyStatus = 'writing' | 'written' | 'sent' | 'played' | 'interrupted';
/** A turn's answer, or something said between turns (a notice, an apology) that the next reply joins. */
type ReplyKind = 'turn' | 'notice' | 'apology';

interface ActiveReply {
  id: number;
  status: ReplyStatus;
  kind: ReplyKind;
  /** Aborted when the reply is interrupted: the synthesiser and the brain writing it stop. */
  abort: AbortController;
  /** Wall time (ms) until which the sent audio is still playing, as far as the server can tell. */
  playingUntilMs: number;
  /** Every word of the reply sent so far: what an echo of Maya's voice would be recognised as. */
  words: Set<string>;
  /** Sentences waiting for the synthesiser. */
  pending: string[];
  /** Wakes the synthesis loop when a sentence arrives, the reply ends or it is interrupted. */
  wake: (() => void) | null;
  /** The audio sent, in order, and the wall time its first sample went out. */
  sent: SentAudio[];
  firstAudioAtMs: number | null;
  /** How much had played when it was interrupted (the client's report, else the server's estimate). */
  playedMs: Promise<number> | null;
  reportPlayed: ((ms: number) => void) | null;
  /** The turn's whole reply as the history holds it, once the turn is over (turn replies only). */
  said: string | null;
}
interface SayOptions {
  /** Also caption it (it is not a turn's reply, so no `reply` message carries it otherwise). */
  caption?: boolean;
  kind?: ReplyKind;
}

/** "One Margarita, that's eleven dollars, coming right up." → "One Margarita," + "that's eleven …". */
export function firstClauseApart(sentences: string[], maxWords: number): string[] {
  const [first, ...rest] = sentences;
  if (!first || first.split(' ').length <= maxWords) return sentences;
  const cut = first.search(/,\s/);
  if (cut < 0 || first.slice(0, cut).split(' ').length < 2) return sentences;
  return [first.slice(0, cut + 1), first.slice(cut + 2), ...rest];
}

/** What of a text the voice says, sentence by sentence (symbols and prices in words). */
const speakableSentences = (text: string) => splitSentences(text).map(speakable).filter(Boolean);

const wordsOf = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(' ')
    .filter(Boolean);

export class SpeechSession {
  private readonly options: SpeechSessionOptions;
  private readonly now: () => number;
  private vad: Promise<Vad> | null = null;
  private stt: Promise<SttStream> | null = null;
  /** The front end last said the room is loud: what is heard there is trusted less. */
  private roomNoisy = false;
  /** Maya's last turn asked a yes/no question that is still open (see expectAnswer). */
  private answerExpected = false;
  /** A new key arrived while the guest was speaking: switch recognisers once the utterance is over. */
  private restartSttAfterUtterance = false;
  private closed = false;
  private utteranceId = 0;
  private inUtterance = false;
  private utteranceStartMs = 0;
  private partial = '';
  /** The endpointer heard a pause after an unfinished request: the turn ends when this fires. */
  private holdTimer: NodeJS.Timeout | null = null;
  /** Maya's words when the current utterance began during her reply (an echo would repeat them). */
  private echoWords: Set<string> | null = null;
  private readonly echo: EchoDetector;
  /** The current utterance looked like Maya's own voice coming back (see echo.ts). */
  private heardEcho = false;
  /** Since when the current utterance has sounded unlike Maya's voice (barge-in candidate). */
  private notEchoSinceMs: number | null = null;
  private nextReplyId = 1;
  private reply: ActiveReply | null = null;
  /** Since when audio has failed to be handled (null: it is handled), and when the guest was last told. */
  private earsDownSinceMs: number | null = null;
  private earsDownNoticeAtMs: number | null = null;
  /** A short pause was heard: the hypothesis is looked at once it has caught up. */
  private pauseTimer: NodeJS.Timeout | null = null;
  /** Counts short pauses and what cancels them: a decision about an older pause is dropped. */
  private pauseCheck = 0;
  /** The turn ended at a short pause and the endpointer has not yet ended that speech. */
  private endedAtPause = false;
  /** Audio since then (the last few frames), given to the next utterance if the guest goes on. */
  private afterPause: Int16Array[] = [];
  /** Audio work is applied in arrival order, even while the engines are still loading. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: SpeechSessionDeps,
    options: Partial<SpeechSessionOptions> = {},
  ) {
    // Descriptors, not values: the spoken lines are getters that draw a fresh variant each time.
    this.options = Object.defineProperties(
      {},
      {
        ...Object.getOwnPropertyDescriptors(defaultSpeechSessionOptions),
        ...Object.getOwnPropertyDescriptors(options),
      },
    ) as SpeechSessionOptions;
    this.now = deps.now ?? (() => performance.now());
    this.echo = new EchoDetector(this.now());
  }

  /** One binary frame of microphone audio (16 kHz mono s16le). */
  pushAudio(pcm: Int16Array): void {
    this.echo.heard(pcm, this.now());
    this.enqueue(async () => {
      const [vad, stt] = await Promise.all([this.vadReady(), this.sttReady()]);
      const events = await vad.process(pcm);
      this.deps.log.trace({ samples: pcm.length, events: events.length }, 'audio frame');
      for (const ev of events) {
        if (ev.kind !== 'audio')
          this.deps.log.debug({ vad: ev, inUtterance: this.inUtterance }, 'vad');
        if (ev.kind === 'speech_start') {
          this.roomNoisy = ev.noisy === true;
          this.endedAtPause = false;
          this.speechStarted();
        } else if (ev.kind === 'audio') {
          if (this.endedAtPause) {
            // The tail of a turn that ended at a short pause: kept a moment in case the guest goes on.
            this.afterPause.push(ev.pcm);
            if (this.afterPause.length > RESUME_LOOKBACK_FRAMES) this.afterPause.shift();
            continue;
          }
          if (!this.inUtterance) this.speechStarted();
          stt.write(ev.pcm);
          this.maybeBargeIn();
        } else if (ev.kind === 'pause') this.shortPauseHeard(stt);
        else if (ev.kind === 'resume') {
          this.clearPauseTimer();
          if (!this.endedAtPause) continue;
          // The guest went on after the turn ended at the pause: what follows is a new utterance.
          this.endedAtPause = false;
          this.speechStarted();
          for (const pcm of this.afterPause) stt.write(pcm);
          this.afterPause = [];
        } else if (this.endedAtPause) {
          this.clearPauseTimer();
          // The endpointer's own end of the speech whose turn already ended at the pause.
          this.endedAtPause = false;
          this.afterPause = [];
        } else {
          this.clearPauseTimer();
          await this.pauseHeard(stt);
        }
      }
    });
  }

  /** Speak a whole reply that did not come from a voice turn (a payment button while voice is on). */
  speak(text: string): void {
    this.say(text);
  }

  /**
   * Speak a reply as it is written (a typed turn while voice is on, streamed from the brain). The
   * reply starts, interrupting any other, with its first sentence; after barge-in pushes are ignored.
   */
  replyStream(kind: ReplyKind = 'turn'): ReplyStream {
    let reply: ActiveReply | null = null;
    let first = true;
    const cutOff = new AbortController();
    const follow = (r: ActiveReply) => {
      if (r.abort.signal.aborted) cutOff.abort();
      else r.abort.signal.addEventListener('abort', () => cutOff.abort(), { once: true });
    };
    return {
      signal: cutOff.signal,
      push: (sentence) => {
        if (this.closed) return;
        let parts = speakableSentences(sentence);
        if (parts.length === 0) return;
        if (!reply) {
          const current = this.reply;
          if (
            current &&
            current.kind !== 'turn' &&
            (current.status === 'writing' || current.status === 'written')
          ) {
            // A notice still being sent: this reply carries on from it.
            current.status = 'writing';
            current.kind = kind;
            reply = current;
          } else {
            if (this.speaking() && current?.kind === 'turn') this.interrupt('new_reply');
            reply = this.begin(kind);
          }
          follow(reply);
        }
        if (reply.status !== 'writing') return;
        if (first) parts = firstClauseApart(parts, this.options.firstChunkMaxWords);
        first = false;
        reply.pending.push(...parts);
        reply.wake?.();
      },
      end: () => {
        if (reply?.status !== 'writing') return;
        reply.status = 'written';
        reply.wake?.();
      },
      settle: (said) => {
        if (!reply || reply.kind !== 'turn') return;
        reply.said = said;
        if (reply.status === 'interrupted') void this.keepWhatWasHeard(reply);
      },
    };
  }

  /** Say something between turns (the recogniser fell back to the embedded one): after the reply being spoken, if any. */
  announce(text: string): void {
    const r = this.reply;
    if (r?.status === 'writing') {
      this.deps.send({ type: 'reply', text, emotion: 'neutral' });
      r.pending.push(...speakableSentences(text));
      r.wake?.();
    } else this.say(text, { caption: true, kind: 'notice' });
  }

  /** The session's engines changed (a new key): the next reply uses the new voice, the next utterance the new recogniser. */
  refreshEngines(): void {
    // Look the engines up now: a new Cartesia key opens its socket before the next reply needs it.
    void this.deps
      .engines()
      .catch((err: unknown) => this.deps.log.warn({ err }, 'speech engines unavailable'));
    this.enqueue(async () => {
      if (this.inUtterance) this.restartSttAfterUtterance = true;
      else await this.restartStt();
    });
  }

  control(msg: SpeechControl): void {
    switch (msg.type) {
      case 'barge_in':
        this.interrupt('client');
        return;
      case 'end_of_speech':
        this.enqueue(async () => {
          if (this.inUtterance) this.speechEnded(await this.sttReady());
        });
        return;
      case 'playback': {
        const r = this.reply?.id === msg.replyId ? this.reply : this.interrupted.get(msg.replyId);
        if (!r) return;
        if (msg.event === 'stopped' && msg.playedMs !== undefined) r.reportPlayed?.(msg.playedMs);
        else if (msg.event !== 'started' && r.status !== 'interrupted') r.status = 'played';
        return;
      }
    }
  }

  close(): void {
    this.closed = true;
    this.clearHold();
    this.clearPauseTimer();
    this.reply?.abort.abort();
    this.reply?.wake?.();
    this.reply = null;
    void this.stt?.then(
      (stt) => stt.close(),
      () => undefined,
    );
    void this.vad?.then(
      (vad) => vad.close?.(),
      () => undefined,
    );
  }

  /** Interrupted replies still waiting for the client's playback report (a few at most). */
  private readonly interrupted = new Map<number, ActiveReply>();

  private enqueue(work: () => Promise<void>) {
    this.queue = this.queue.then(work).then(
      () => {
        this.earsDownSinceMs = null;
      },
      (err: unknown) => this.pipelineFailed(err),
    );
  }

  /**
   * The audio could not be handled (no speech engine could start, or it threw): the guest is told,
   * once per outage (and again every earsDownNoticeEveryMs), rather than talking into silence;
   * the log gets the first failure, not one line per 20 ms frame.
   */
  private pipelineFailed(err: unknown) {
    const now = this.now();
    const notice =
      this.earsDownNoticeAtMs === null ||
      now - this.earsDownNoticeAtMs >= this.options.earsDownNoticeEveryMs;
    if (this.earsDownSinceMs === null || notice)
      this.deps.log.error({ err }, 'speech pipeline failed');
    this.earsDownSinceMs ??= now;
    if (!notice || this.closed) return;
    this.earsDownNoticeAtMs = now;
    this.clearHold();
    this.inUtterance = false;
    this.say(this.options.earsDownReply, { caption: true, kind: 'apology' });
  }

  private vadReady(): Promise<Vad> {
    this.vad ??= this.deps.createVad();
    // A voice activity detector that failed to start is asked for again with the next audio.
    this.vad.catch(() => (this.vad = null));
    return this.vad;
  }

  private sttReady(): Promise<SttStream> {
    this.stt ??= (async () => {
      const { stt: engine } = await this.deps.engines();
      const stt = await engine.start({
        onPartial: (text) => this.onPartial(text),
        onFinal: (text, info) => this.onFinal(text, info),
        onError: (err) => this.onSttError(err),
      });
      if (this.closed) stt.close();
      stt.expect?.(this.listeningContext);
      return stt;
    })();
    // A recogniser that failed to start is asked for again with the next audio.
    this.stt.catch(() => (this.stt = null));
    return this.stt;
  }

  private async restartStt() {
    this.restartSttAfterUtterance = false;
    const current = this.stt;
    this.stt = null;
    await current?.then(
      (s) => s.close(),
      () => undefined,
    );
  }

  private speechStarted() {
    if (this.holdTimer) {
      // The guest went on after a pause in an unfinished request: the same turn continues.
      this.clearHold();
      return;
    }
    if (this.inUtterance) return;
    this.inUtterance = true;
    this.utteranceId++;
    this.utteranceStartMs = this.now();
    this.partial = '';
    this.echoWords = this.speaking() && this.reply ? this.reply.words : null;
    this.heardEcho = false;
    this.notEchoSinceMs = null;
    this.deps.send({ type: 'speech_started', utteranceId: this.utteranceId });
  }

  /**
   * A short pause (no voice for the VAD's pauseMs) inside what the endpointer still counts as
   * speech: a request that already sounds complete ("two beers please") ends here, without waiting
   * for the endpointer's window; anything else waits for the endpointer as before.
   */
  private shortPauseHeard(stt: SttStream) {
    if (!this.options.endAtShortPause || !this.inUtterance || this.holdTimer || this.pauseTimer)
      return;
    const check = ++this.pauseCheck;
    const stale = () =>
      check !== this.pauseCheck ||
      !this.inUtterance ||
      this.holdTimer !== null ||
      this.endedAtPause;
    const endHere = () => {
      this.speechEnded(stt);
      this.endedAtPause = true;
      this.afterPause = [];
    };
    const decide = (hypothesis: string) =>
      this.enqueue(async () => {
        if (stale()) return; // the guest went on meanwhile
        if (hypothesis.trim() === '' || soundsUnfinished(hypothesis)) return;
        if (!stt.finalIfEnded) return endHere();
        // Complete so far: the recogniser's final, as if the utterance ended here, has the last word.
        // The running words can be whole while the guest is mid-word: 200 ms without a voice is also
        // the "st t" of "iced tea", where "an iced" would end the turn. Asked from inside the queue,
        // so no audio is written until it answers, and the final it computes is the turn's if it ends.
        const ending = await stt.finalIfEnded();
        if (!stale() && !ending.rejected && ending.text !== '' && !soundsUnfinished(ending.text))
          endHere();
      });
    // The audio up to the pause has just been handed to the recogniser. Its hypothesis over all of
    // it (the last caption can be 150 ms of audio behind) says whether the request is complete.
    if (stt.hypothesis) {
      void stt.hypothesis().then(decide, () => undefined);
      return;
    }
    // An engine that cannot say: its running hypothesis catches up within a few milliseconds.
    this.pauseTimer = setTimeout(() => {
      this.pauseTimer = null;
      decide(this.partial);
    }, this.options.pauseSettleMs);
  }

  private clearPauseTimer() {
    this.pauseCheck++;
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = null;
  }

  /** The endpointer heard a pause: the turn ends now, or after a longer wait if it sounds unfinished. */
  private async pauseHeard(stt: SttStream) {
    if (!this.inUtterance || this.holdTimer) return;
    // Judged on the hypothesis over all the audio written: the last caption can be a word behind
    // ("a couple of" for "a couple of ipas please"), and would hold a finished request back.
    const heard = stt.hypothesis ? await stt.hypothesis() : this.partial;
    if (!this.inUtterance || this.holdTimer) return;
    if (!soundsUnfinished(heard)) {
      this.speechEnded(stt);
      return;
    }
    // The running hypothesis sounds unfinished. Would the recogniser make sense of the utterance if
    // it ended here? When it would reject it, or its final reads as complete, the open ending was
    // most often the decoder's ("do you have an" for "do you have any IPA"), not the guest's: on the
    // tune split this was so for half the held turns that ended there, and for 3 of 23 real pauses.
    // Those guests hear an answer (or a "sorry?") 900 ms sooner.
    const ending = stt.finalIfEnded ? await stt.finalIfEnded() : null;
    if (!this.inUtterance || this.holdTimer) return;
    if (ending && (ending.rejected || !soundsUnfinished(ending.text))) {
      this.deps.log.debug({ heard, ending }, 'sounded unfinished, but would end as heard');
      this.speechEnded(stt);
      return;
    }
    this.deps.log.debug({ heard }, 'unfinished request: waiting for more');
    this.holdTimer = setTimeout(() => {
      this.holdTimer = null;
      this.enqueue(async () => this.speechEnded(stt));
    }, this.options.unfinishedHoldMs);
  }

  private clearHold() {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
  }

  /**
   * Maya's last turn asked a yes/no question (a read-back, "did you mean…") that is still open: a
   * short utterance she could not make out is then most likely the answer, and she asks for it
   * again instead of letting it pass as a cough.
   */
  expectAnswer(expected: boolean): void {
    this.answerExpected = expected;
    // The recogniser listens for an answer too: "yes" weighs more than "us" until it is given.
    void this.stt?.then(
      (stt) => stt.expect?.(this.listeningContext),
      () => undefined,
    );
  }

  private get listeningContext(): ListeningContext {
    return this.answerExpected ? 'answer' : 'open';
  }

  private speechEnded(stt: SttStream) {
    this.clearHold();
    if (!this.inUtterance) return;
    this.inUtterance = false;
    this.deps.send({ type: 'speech_ended', utteranceId: this.utteranceId });
    stt.finalize();
  }

  private onPartial(text: string) {
    this.partial = text;
    if (this.inUtterance)
      this.deps.send({ type: 'transcript_partial', utteranceId: this.utteranceId, text });
    this.maybeBargeIn();
  }

  /**
   * The recogniser failed (its engine crashed and is being replaced): whatever the guest was saying
   * is lost, so Maya says so rather than leaving them in silence.
   */
  private onSttError(err: Error) {
    this.deps.log.warn({ err }, 'recogniser error');
    const wasListening = this.inUtterance;
    this.clearHold();
    this.inUtterance = false;
    this.stt = null;
    if (wasListening && !this.closed) {
      this.deps.send({
        type: 'transcript_final',
        utteranceId: this.utteranceId,
        text: '',
        rejected: true,
      });
      this.say(this.options.earTroubleReply, { caption: true, kind: 'apology' });
    }
  }

  private onFinal(text: string, info: FinalInfo) {
    if (this.restartSttAfterUtterance) this.enqueue(() => this.restartStt());
    const echo =
      this.echoWords !== null &&
      (this.heardEcho || wordsOf(text).every((w) => this.echoWords?.has(w)));
    const rejected = info.rejected === true || text.trim() === '' || echo;
    this.deps.send({ type: 'transcript_final', utteranceId: this.utteranceId, text, rejected });
    if (rejected) {
      // A rejected request deserves an answer; a cough or a word said over Maya does not — unless
      // she is waiting for a yes or a no, which is short.
      const heardSomething =
        text.trim() !== '' || this.now() - this.utteranceStartMs > this.options.minRejectedSpeechMs;
      if (this.speaking() || echo) return;
      if (this.answerExpected) this.say(this.options.answerNotUnderstoodReply, { caption: true });
      else if (heardSomething) this.say(this.options.notUnderstoodReply, { caption: true });
      return;
    }
    // In a loud room a confident transcript is still often wrong (bench:ears, 15 dB pink noise: most
    // wrong charges and the one remark charged were heard at full confidence): read orders back.
    const confidence =
      info.confidence !== undefined && this.roomNoisy
        ? Math.min(info.confidence, this.options.noisyRoomConfidence)
        : info.confidence;
    const meta: TurnMeta = {
      source: 'voice',
      ...(confidence !== undefined && { confidence }),
      ...(info.openVocabulary && { openVocabulary: true }),
      ...(info.alternatives?.length && { alternatives: info.alternatives }),
    };
    const reply = this.replyStream();
    this.deps
      .runTurn(text, meta, (sentence) => reply.push(sentence), reply.signal)
      .then((turn) => reply.settle(turn.text))
      .catch((err: unknown) => this.deps.log.error({ err }, 'voice turn failed'))
      .finally(() => reply.end());
  }

  /** A turn's reply was cut off and the turn is over: the history keeps the part that played. */
  private async keepWhatWasHeard(r: ActiveReply) {
    const said = r.said;
    if (said === null || !r.playedMs || !this.deps.replyHeard) return;
    r.said = null; // once
    const heard = heardPart(r.sent, await r.playedMs);
    if (heard !== said) this.deps.replyHeard(said, heard);
  }

  /** Is a reply being synthesised or (as far as we know) still playing? */
  private speaking(): boolean {
    const r = this.reply;
    if (!r || r.status === 'interrupted' || r.status === 'played') return false;
    return r.status !== 'sent' || this.now() < r.playingUntilMs;
  }

  /**
   * Echo guard (behind the browser's echo cancellation): only sustained speech that the recogniser
   * turns into words, not all of which Maya is saying herself, interrupts her.
   */
  private maybeBargeIn() {
    const r = this.reply;
    if (!r || !this.inUtterance || !this.speaking()) return;
    if (this.now() - this.utteranceStartMs < this.options.bargeInMinSpeechMs || this.partial === '')
      return;
    if (wordsOf(this.partial).every((w) => r.words.has(w))) return;
    if (this.heardEcho) return; // once this utterance sounded like Maya's own voice, it stays so
    const echoScore = this.echo.bestCorrelation();
    this.deps.log.debug({ echoScore, partial: this.partial }, 'barge-in candidate');
    if (echoScore > this.echo.threshold) {
      this.heardEcho = true;
      this.notEchoSinceMs = null;
      return;
    }
    // One low score can be a busy event loop smearing the contour: the guest must sound unlike
    // Maya for a little while before she stops.
    this.notEchoSinceMs ??= this.now();
    if (this.now() - this.notEchoSinceMs < this.options.bargeInConfirmMs) return;
    // The guest, not an echo: nothing of this utterance is to be judged against Maya's words.
    this.echoWords = null;
    this.interrupt('barge_in');
  }

  private interrupt(reason: 'barge_in' | 'new_reply' | 'client') {
    const r = this.reply;
    if (!r || r.status === 'interrupted') return;
    r.status = 'interrupted';
    r.abort.abort();
    r.wake?.();
    this.reply = null;
    this.deps.send({ type: 'interrupted', replyId: r.id, reason });
    if (r.kind !== 'turn') return;
    // How much the guest heard: the client's report, or what the server's clock says had played.
    const estimateMs = r.firstAudioAtMs === null ? 0 : Math.max(0, this.now() - r.firstAudioAtMs);
    r.playedMs = new Promise<number>((resolve) => {
      const timer = setTimeout(() => resolve(estimateMs), this.options.playbackReportWaitMs);
      r.reportPlayed = (ms) => {
        clearTimeout(timer);
        resolve(ms);
      };
    });
    this.interrupted.set(r.id, r);
    for (const id of [...this.interrupted.keys()].slice(0, -4)) this.interrupted.delete(id);
    void this.keepWhatWasHeard(r);
  }

  /** One event of a reply: it does not go out once the reply is interrupted (see `diesWithReply`). */
  private emit(reply: ActiveReply, msg: Extract<SpeechEvent, ServerMessage>): boolean {
    if (reply.status === 'interrupted' && diesWithReply(msg.type)) return false;
    this.deps.send(msg);
    return true;
  }

  /** Speak a whole text as one reply. */
  private say(text: string, { caption = false, kind = 'turn' }: SayOptions = {}) {
    if (this.closed) return;
    if (caption) this.deps.send({ type: 'reply', text, emotion: 'neutral' });
    const reply = this.replyStream(kind);
    reply.push(text);
    reply.end();
  }

  private begin(kind: ReplyKind): ActiveReply {
    const reply: ActiveReply = {
      id: this.nextReplyId++,
      status: 'writing',
      kind,
      abort: new AbortController(),
      playingUntilMs: 0,
      words: new Set(),
      pending: [],
      wake: null,
      sent: [],
      firstAudioAtMs: null,
      playedMs: null,
      reportPlayed: null,
      said: null,
    };
    this.reply = reply;
    void this.synthesise(reply);
    return reply;
  }

  /** Synthesis loop of one reply: each sentence in order as it arrives, paced to stay ahead of playback. */
  private async synthesise(reply: ActiveReply) {
    const signal = reply.abort.signal;
    let index = 0;
    let audioEndMs = 0;
    try {
      const { tts } = await this.deps.engines();
      for (;;) {
        if (signal.aborted) return;
        const sentence = reply.pending.shift();
        if (sentence === undefined) {
          if (reply.status !== 'writing') break;
          await new Promise<void>((resolve) => (reply.wake = resolve));
          reply.wake = null;
          continue;
        }
        while (index > 0 && audioEndMs - this.now() > this.options.ttsLookaheadMs) {
          await new Promise((r) =>
            setTimeout(r, Math.min(100, audioEndMs - this.now() - this.options.ttsLookaheadMs)),
          );
          if (signal.aborted) return;
        }
        for await (const chunk of tts.synthesize(sentence, signal)) {
          const header = {
            type: 'reply_audio',
            replyId: reply.id,
            sentence: index,
            text: sentence,
            encoding: 'pcm_s16le',
            sampleRate: chunk.sampleRate,
            channels: 1,
            samples: chunk.pcm.length,
            words: chunk.words ?? [],
            phones: chunk.phones ?? [],
          } as const;
          if (!this.emit(reply, header)) return;
          for (const w of wordsOf(sentence)) reply.words.add(w);
          const durationMs = (chunk.pcm.length / chunk.sampleRate) * 1000;
          reply.sent.push({ text: sentence, durationMs, words: chunk.words ?? [] });
          reply.firstAudioAtMs ??= this.now();
          this.echo.prune(this.now());
          this.echo.played(chunk.pcm, Math.max(audioEndMs, this.now()));
          for (let at = 0; at < chunk.pcm.length; at += this.options.audioFrameSamples) {
            this.deps.sendAudio(chunk.pcm.subarray(at, at + this.options.audioFrameSamples));
          }
          audioEndMs = Math.max(audioEndMs, this.now()) + durationMs;
          reply.playingUntilMs = audioEndMs + this.options.playbackGraceMs;
        }
        if (signal.aborted) return;
        index++;
      }
      reply.status = 'sent';
      reply.playingUntilMs = Math.max(audioEndMs, this.now()) + this.options.playbackGraceMs;
      this.emit(reply, { type: 'reply_end', replyId: reply.id, sentences: index });
    } catch (err) {
      if (signal.aborted || this.closed || err instanceof SpeechEngineClosedError) {
        // Cut on purpose: a barge-in, the guest gone, or the app shutting down its engines.
        const reason = err instanceof Error ? err.message : String(err);
        this.deps.log.debug({ reason }, 'reply cut before it was spoken');
        return;
      }
      this.deps.log.error({ err }, 'speech synthesis failed');
      // The engine died mid-reply (a crashed worker is replaced on the next synthesis). What was sent
      // plays out; the rest of this reply is dropped (its text is already captioned), and Maya
      // apologises out loud once, after it, then carries on.
      reply.pending = [];
      reply.status = 'sent';
      reply.playingUntilMs = Math.max(audioEndMs, this.now()) + this.options.playbackGraceMs;
      this.emit(reply, { type: 'reply_end', replyId: reply.id, sentences: index });
      if (this.reply === reply) this.reply = null;
      if (reply.kind !== 'apology')
        this.say(this.options.voiceTroubleReply, { caption: true, kind: 'apology' });
    }
  }
}
