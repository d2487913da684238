/**
 * Reply playback: each `reply_audio` header announces a sentence (or a streamed chunk of one); the
 * binary frames that follow are scheduled back to back on the audio clock behind a small jitter
 * buffer. Knows which sentence is playing and what the mouth does now (captions and lip-sync follow
 * the audio clock), and stops at once on barge-in. A reply has finished when `reply_end` has come
 * and its last scheduled sample has played.
 */
import type { ReplyAudio, ReplyEnd } from '../../shared/speech.ts';
import type { MouthShape } from './speechActivity.ts';
import { mouthAt } from '../avatar/lipsync.ts';
import type { SpeechCue } from '../avatar/lipsync.ts';

export const defaultPlaybackOptions = {
  /** Delay before a reply's first sample, so later frames arrive before they are due. */
  jitterBufferMs: 25,
};

export interface PlaybackEvents {
  /** The first sample of a reply is playing (fired at that moment on the audio clock). */
  onStarted(replyId: number): void;
  onSentence(replyId: number, text: string): void;
  /** The last sample of a reply finished playing. */
  onEnded(replyId: number): void;
}

/** A phone or word of a reply, in seconds on the audio clock. */
interface TimedCue extends SpeechCue {
  replyId: number;
}

interface Incoming {
  header: ReplyAudio;
  remaining: number;
  /** Audio-clock time this sentence's next frame starts at (null before its first frame). */
  startAt: number | null;
  drop: boolean;
}

export class ReplyPlayer {
  private readonly out: GainNode;
  readonly analyser: AnalyserNode;
  private nextTime = 0;
  private incoming: Incoming | null = null;
  private readonly sources = new Set<AudioBufferSourceNode>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly cancelled = new Set<number>();
  private readonly started = new Set<number>();
  /** Phone timings (Flite) or word timings (Cartesia) of the replies scheduled, sorted by start. */
  private cues: TimedCue[] = [];
  private playingReply: number | null = null;
  /** Sources still to finish, per reply. */
  private readonly pendingSources = new Map<number, number>();
  /** Replies whose every sentence has arrived (`reply_end`). */
  private readonly complete = new Set<number>();
  /** Audio-clock spans scheduled per reply, to tell the server how much had played when stopped. */
  private readonly scheduled = new Map<number, { atS: number; durationS: number }[]>();
  /** The sentence last captioned, so a sentence streamed in chunks is announced once. */
  private captioned: { replyId: number; sentence: number } | null = null;

  constructor(
    private readonly ctx: AudioContext,
    private readonly events: PlaybackEvents,
    private readonly options = defaultPlaybackOptions,
  ) {
    this.out = ctx.createGain();
    this.analyser = ctx.createAnalyser();
    this.analyser.fftSize = 512;
    this.out.connect(this.analyser);
    this.analyser.connect(ctx.destination);
  }

  /** The reply now sounding (or scheduled), if any. */
  get currentReply(): number | null {
    return this.playingReply;
  }

  header(h: ReplyAudio): void {
    this.incoming = {
      header: h,
      remaining: h.samples,
      startAt: null,
      drop: this.cancelled.has(h.replyId),
    };
    // Word timings that came after the reply's last audio (Cartesia sends them behind the chunk):
    // relative to where the next chunk would have started.
    if (h.samples === 0 && !this.incoming.drop && this.playingReply === h.replyId)
      this.addCues(h, this.nextTime);
  }

  /** One binary frame of s16le PCM belonging to the latest header. */
  audio(data: ArrayBuffer): void {
    const inc = this.incoming;
    if (!inc) return;
    const pcm = new Int16Array(data);
    inc.remaining -= pcm.length;
    if (inc.drop || pcm.length === 0) return;
    const { replyId, sampleRate, sentence } = inc.header;
    const buffer = this.ctx.createBuffer(1, pcm.length, sampleRate);
    const ch = buffer.getChannelData(0);
    for (let i = 0; i < pcm.length; i++) ch[i] = pcm[i]! / 32768;
    const now = this.ctx.currentTime;
    const fresh = this.playingReply !== replyId;
    const at = Math.max(
      this.nextTime,
      now + (fresh || this.nextTime < now ? this.options.jitterBufferMs / 1000 : 0),
    );
    this.nextTime = at + buffer.duration;
    this.playingReply = replyId;

    const src = this.ctx.createBufferSource();
    src.buffer = buffer;
    src.connect(this.out);
    src.start(at);
    this.sources.add(src);
    const spans = this.scheduled.get(replyId) ?? [];
    spans.push({ atS: at, durationS: buffer.duration });
    this.scheduled.set(replyId, spans);
    this.pendingSources.set(replyId, (this.pendingSources.get(replyId) ?? 0) + 1);
    src.onended = () => {
      this.sources.delete(src);
      const left = (this.pendingSources.get(replyId) ?? 1) - 1;
      this.pendingSources.set(replyId, left);
      if (left === 0 && this.complete.has(replyId) && !this.cancelled.has(replyId))
        this.finish(replyId);
    };

    if (inc.startAt === null) {
      inc.startAt = at;
      this.addCues(inc.header, at);
      this.at(at, () => {
        if (this.cancelled.has(replyId)) return;
        if (!this.started.has(replyId)) {
          this.started.add(replyId);
          this.events.onStarted(replyId);
        }
        if (this.captioned?.replyId !== replyId || this.captioned.sentence !== sentence) {
          this.captioned = { replyId, sentence };
          this.events.onSentence(replyId, inc.header.text);
        }
      });
    }
  }

  /** The server sent every sentence of this reply: it ends when what is scheduled has played. */
  end(msg: ReplyEnd): void {
    if (this.cancelled.has(msg.replyId)) return;
    this.complete.add(msg.replyId);
    if ((this.pendingSources.get(msg.replyId) ?? 0) === 0) this.finish(msg.replyId);
  }

  /**
   * Barge-in: silence now, forget the rest of this reply (frames still in flight are dropped).
   * Returns how much of the reply had played (ms), once per reply; null if none of it was scheduled.
   */
  stop(replyId = this.playingReply): { replyId: number; playedMs: number } | null {
    const now = this.ctx.currentTime;
    const spans = replyId === null ? undefined : this.scheduled.get(replyId);
    const played =
      replyId === null || !spans
        ? null
        : {
            replyId,
            playedMs: Math.round(
              spans.reduce(
                (ms, s) => ms + Math.min(Math.max(now - s.atS, 0), s.durationS) * 1000,
                0,
              ),
            ),
          };
    this.scheduled.clear();
    if (replyId !== null) this.cancelled.add(replyId);
    if (this.incoming && replyId === this.incoming.header.replyId) this.incoming.drop = true;
    for (const s of this.sources) {
      s.onended = null;
      try {
        s.stop();
      } catch {
        // never started
      }
    }
    this.sources.clear();
    this.pendingSources.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.cues = [];
    this.nextTime = 0;
    this.playingReply = null;
    return played;
  }

  /**
   * The mouth now, from the timings on the audio clock: phones where the voice gives them, else
   * syllables paced over each word. Null when there are no timings for what is playing (a voice that
   * gives none, or words not yet arrived): the caller follows the loudness instead.
   */
  mouthNow(): MouthShape | null {
    const reply = this.playingReply;
    if (reply === null) return null;
    const t = this.ctx.currentTime;
    const cues = this.cues.filter((c) => c.replyId === reply);
    const last = cues.at(-1);
    if (!last || t >= last.endS) return null;
    return mouthAt(cues, t);
  }

  private addCues(h: ReplyAudio, atS: number) {
    const cue = (startMs: number, endMs: number) => ({
      replyId: h.replyId,
      startS: atS + startMs / 1000,
      endS: atS + endMs / 1000,
    });
    const added: TimedCue[] = h.phones.length
      ? h.phones.map((p) => ({ ...cue(p.startMs, p.endMs), phone: p.label }))
      : h.words.map((w) => ({ ...cue(w.startMs, w.endMs), word: w.label }));
    if (added.length === 0) return;
    this.cues = [...this.cues, ...added].sort((a, b) => a.startS - b.startS);
  }

  /** Output level 0..1, for a mouth driven by amplitude when there are no timings. */
  level(): number {
    const data = new Float32Array(this.analyser.fftSize);
    this.analyser.getFloatTimeDomainData(data);
    let sum = 0;
    for (const v of data) sum += v * v;
    return Math.sqrt(sum / data.length);
  }

  private finish(replyId: number) {
    this.cues = this.cues.filter((c) => c.replyId !== replyId);
    this.pendingSources.delete(replyId);
    this.scheduled.delete(replyId);
    this.complete.delete(replyId);
    if (this.playingReply === replyId) this.playingReply = null;
    // A reply with no audio at all (nothing speakable) never started, so it has nothing to end.
    if (this.started.has(replyId)) this.events.onEnded(replyId);
  }

  /** Run `fn` when the audio clock reaches `when`. */
  private at(when: number, fn: () => void) {
    const delayMs = Math.max(0, (when - this.ctx.currentTime) * 1000);
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, delayMs);
    this.timers.add(t);
  }
}
