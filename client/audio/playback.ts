/**
 * Reply playback: each `reply_audio` header announces a sentence (or a streamed chunk of one); the
 * binary frames that follow are scheduled back to back on the audio clock behind a small jitter
 * buffer. Knows which sentence and phone is playing now (captions and the mouth follow the audio
 * clock), and stops at once on barge-in. A reply has finished when `reply_end` has come and its
 * last scheduled sample has played.
 */
import type { ReplyAudio, ReplyEnd, SpeechTiming } from '../../shared/speech.ts';

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

interface Segment {
  replyId: number;
  startAt: number;
  endAt: number;
  phones: SpeechTiming[];
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
  private segments: Segment[] = [];
  private playingReply: number | null = null;
  /** Sources still to finish, per reply. */
  private readonly pendingSources = new Map<number, number>();
  /** Replies whose every sentence has arrived (`reply_end`). */
  private readonly complete = new Set<number>();
  /** The sentence last captioned, so a sentence streamed in chunks is announced once. */
  private captioned: { replyId: number; sentence: number } | null = null;

  constructor(private readonly ctx: AudioContext, private readonly events: PlaybackEvents, private readonly options = defaultPlaybackOptions) {
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
    this.incoming = { header: h, remaining: h.samples, startAt: null, drop: this.cancelled.has(h.replyId) };
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
    const at = Math.max(this.nextTime, now + (fresh || this.nextTime < now ? this.options.jitterBufferMs / 1000 : 0));
    this.nextTime = at + buffer.duration;
    this.playingReply = replyId;

    const src = this.ctx.createBufferSource();
    src.buffer = buffer;
    src.connect(this.out);
    src.start(at);
    this.sources.add(src);
    this.pendingSources.set(replyId, (this.pendingSources.get(replyId) ?? 0) + 1);
    src.onended = () => {
      this.sources.delete(src);
      const left = (this.pendingSources.get(replyId) ?? 1) - 1;
      this.pendingSources.set(replyId, left);
      if (left === 0 && this.complete.has(replyId) && !this.cancelled.has(replyId)) this.finish(replyId);
    };

    if (inc.startAt === null) {
      inc.startAt = at;
      this.segments.push({ replyId, startAt: at, endAt: at + inc.header.samples / sampleRate, phones: inc.header.phones });
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

  /** Barge-in: silence now, forget the rest of this reply (frames still in flight are dropped). */
  stop(replyId = this.playingReply): void {
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
    this.segments = [];
    this.nextTime = 0;
    this.playingReply = null;
  }

  /** The phone sounding now, from the timings on the audio clock. */
  phoneNow(): { label: string } | null {
    const t = this.ctx.currentTime;
    const seg = this.segments.find((s) => t >= s.startAt && t < s.endAt);
    // No timings for this chunk (a voice that gives only words): the mouth follows the loudness.
    if (!seg || seg.phones.length === 0) return null;
    const ms = (t - seg.startAt) * 1000;
    return seg.phones.find((p) => ms >= p.startMs && ms < p.endMs) ?? { label: 'pau' };
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
    this.segments = this.segments.filter((s) => s.replyId !== replyId);
    this.pendingSources.delete(replyId);
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
