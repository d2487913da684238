/**
 * ReplyPlayer on a scripted audio clock: a reply ends only after `reply_end` and its last sample;
 * a sentence streamed in chunks is captioned once; the mouth follows phone timings (Flite) or word
 * timings that arrive one header late (Cartesia), and the loudness when there are none.
 */
import { describe, expect, it } from 'vitest';
import type { ReplyAudio } from '../../shared/speech.ts';
import { ReplyPlayer } from './playback.ts';

/** Just enough of an AudioContext: a clock the test moves, and sources that end when it passes them. */
class FakeAudioContext {
  currentTime = 0;
  readonly destination = {};
  private readonly sources: { endAt: number; onended: (() => void) | null; done: boolean }[] = [];
  createGain() {
    return { connect: () => {} };
  }
  createAnalyser() {
    return {
      fftSize: 512,
      connect: () => {},
      getFloatTimeDomainData: (a: Float32Array) => a.fill(0),
    };
  }
  createBuffer(_channels: number, length: number, sampleRate: number) {
    const data = new Float32Array(length);
    return { duration: length / sampleRate, getChannelData: () => data };
  }
  createBufferSource() {
    const src = {
      buffer: null as { duration: number } | null,
      onended: null as (() => void) | null,
      endAt: 0,
      done: false,
      connect: () => {},
      stop: () => {},
      start: (at: number) => (src.endAt = at + src.buffer!.duration),
    };
    this.sources.push(src);
    return src;
  }
  /** Move the clock; sources that finished fire `onended`. */
  advance(toS: number) {
    this.currentTime = toS;
    for (const s of this.sources) {
      if (!s.done && s.endAt <= toS) {
        s.done = true;
        s.onended?.();
      }
    }
  }
}

function setup() {
  const ctx = new FakeAudioContext();
  const events: string[] = [];
  const player = new ReplyPlayer(
    ctx as unknown as AudioContext,
    {
      onStarted: (id) => events.push(`started ${id}`),
      onSentence: (id, text) => events.push(`sentence ${id} ${text}`),
      onEnded: (id) => events.push(`ended ${id}`),
    },
    { jitterBufferMs: 0 },
  );
  const chunk = (h: Partial<ReplyAudio> & { samples: number }, sampleRate = 24_000) => {
    const header: ReplyAudio = {
      type: 'reply_audio',
      replyId: 1,
      sentence: 0,
      text: 'One Negroni.',
      encoding: 'pcm_s16le',
      sampleRate,
      channels: 1,
      words: [],
      phones: [],
      ...h,
    };
    player.header(header);
    if (header.samples > 0) player.audio(new Int16Array(header.samples).buffer);
  };
  return { ctx, player, events, chunk };
}

describe('ReplyPlayer', () => {
  it('ends a reply only once reply_end has come and its last sample has played; a chunked sentence is captioned once', async () => {
    const { ctx, player, events, chunk } = setup();
    chunk({ samples: 2400 }); // 0.0–0.1 s
    chunk({ samples: 2400 }); // 0.1–0.2 s, the same sentence
    await new Promise((r) => setTimeout(r, 5)); // the caption timers
    ctx.advance(0.25); // everything sent so far has played, but the brain is still writing
    expect(events).toEqual(['started 1', 'sentence 1 One Negroni.']);
    chunk({ samples: 2400, sentence: 1, text: 'Anything else?' });
    player.end({ type: 'reply_end', replyId: 1, sentences: 2 });
    expect(events.at(-1)).not.toBe('ended 1'); // its last sentence is still to play
    ctx.advance(0.5);
    expect(events.at(-1)).toBe('ended 1');
  });

  it('a reply with no audio at all ends without ever starting', () => {
    const { player, events } = setup();
    player.end({ type: 'reply_end', replyId: 7, sentences: 0 });
    expect(events).toEqual([]);
  });

  it('the mouth follows word timings that arrive a header late, then the loudness when timings run out', () => {
    const { ctx, player, chunk } = setup();
    chunk({ samples: 4800 }); // 0.0–0.2 s: its words come with the next header
    expect(player.mouthNow()).toBeNull(); // no timings yet: the caller uses the loudness
    chunk({ samples: 4800, words: [{ label: 'Two', startMs: -200, endMs: 0 }] }); // 0.2–0.4 s
    chunk({ samples: 0, words: [{ label: 'Negronis,', startMs: -200, endMs: 0 }] }); // the trailing words
    ctx.currentTime = 0.1; // the middle of "Two": one syllable, wide open
    expect(player.mouthNow()).toMatchObject({ viseme: 'word' });
    expect(player.mouthNow()!.open).toBeGreaterThan(0.5);
    ctx.currentTime = 0.3; // "Negronis," from the words-only header, placed at the end of the audio
    expect(player.mouthNow()).toMatchObject({ viseme: 'word' });
    ctx.currentTime = 0.45;
    expect(player.mouthNow()).toBeNull();
  });

  it("with phone timings the mouth takes each phone's viseme; barge-in forgets them", () => {
    const { ctx, player, chunk } = setup();
    chunk(
      {
        samples: 8000,
        phones: [
          { label: 'pau', startMs: 0, endMs: 100 },
          { label: 'm', startMs: 100, endMs: 200 },
          { label: 'aa', startMs: 200, endMs: 400 },
        ],
      },
      16_000,
    );
    ctx.currentTime = 0.05;
    expect(player.mouthNow()).toMatchObject({ open: 0, viseme: 'sil' });
    ctx.currentTime = 0.15;
    expect(player.mouthNow()).toMatchObject({ open: 0, viseme: 'PP' });
    ctx.currentTime = 0.3;
    expect(player.mouthNow()).toMatchObject({ viseme: 'aa' });
    player.stop(1);
    expect(player.mouthNow()).toBeNull();
  });

  it('says how much of a reply had played when it is stopped, once', () => {
    const { ctx, player, chunk } = setup();
    chunk({ samples: 24_000, text: 'One Negroni.' }); // 1 s
    chunk({ samples: 24_000, sentence: 1, text: 'Anything else?' }); // 1 s more
    ctx.advance(1.5);
    expect(player.stop(1)).toEqual({ replyId: 1, playedMs: 1500 });
    expect(player.stop(1)).toBeNull();
  });
});
