/**
 * The voice loop over the real websocket with the real engines: a WAV spoken by a Flite voice that
 * is not Maya's, streamed in 100 ms frames at real-time pace → captions, transcript, tab, reply audio.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startApp } from '../app.ts';
import type { App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { TestClient } from '../testing/wsClient.ts';
import { speakClips, streamPcm, writeTempWav } from '../testing/speech.ts';

let app: App;
const wsUrl = () => `${app.url.replace('http', 'ws')}/ws`;

beforeAll(async () => {
  app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), {
    log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    serveClient: false,
  });
});
afterAll(async () => {
  await app?.close();
});

/** A client that also counts the binary (reply audio) frames it receives. */
async function voiceClient() {
  const client = await TestClient.open(wsUrl());
  const audio = { frames: 0, samples: 0, firstAt: 0 };
  client.ws.on('message', (data, isBinary) => {
    if (!isBinary) return;
    audio.frames++;
    audio.samples += (data as Buffer).length / 2;
    audio.firstAt ||= performance.now();
  });
  await client.hello();
  return { client, audio };
}

describe('voice over the websocket (soundswallower + Flite)', () => {
  it('hears "I\'d like a margarita please", shows captions, updates the tab and speaks the reply', async () => {
    const [clip] = await speakClips(["I'd like a margarita please"]);
    const wavPath = writeTempWav('margarita.wav', clip!.pcm);
    const wav = readFileSync(wavPath);
    const pcm = new Int16Array(new Uint8Array(wav.subarray(44)).buffer);

    const { client, audio } = await voiceClient();
    await streamPcm((f) => client.sendRaw(f), pcm, { frameMs: 100 });

    const final = await client.next('transcript_final', () => true, 10_000);
    expect(final.text).toBe("i'd like a margarita please");
    expect(final.rejected).toBe(false);
    const partials = client.messages
      .filter((m) => m.type === 'transcript_partial')
      .map((m) => (m.type === 'transcript_partial' ? m.text : ''));
    // The caption grows while the guest speaks: shorter hypotheses that the final text starts with.
    expect(
      partials.filter((p) => p && p.length < final.text.length && final.text.startsWith(p)).length,
    ).toBeGreaterThanOrEqual(2);
    expect(client.messages.findIndex((m) => m.type === 'speech_started')).toBeLessThan(
      client.messages.findIndex((m) => m.type === 'transcript_partial'),
    );

    const reply = await client.next('reply', () => true, 10_000);
    expect(reply.text).toMatch(/One Margarita, that's \$11\.00/);
    const welcome = client.messages.find((m) => m.type === 'welcome');
    const state = await app.manager.get(welcome?.type === 'welcome' ? welcome.sessionId : '');
    expect(state.order.map((l) => [l.item, l.quantity])).toEqual([['Margarita', 1]]);
    expect(
      client.messages.some((m) => m.type === 'state' && m.state.payment.tabCents === 1100),
    ).toBe(true);

    const first = await client.next('reply_audio', () => true, 10_000);
    expect(first).toMatchObject({
      encoding: 'pcm_s16le',
      sampleRate: 16000,
      channels: 1,
      sentence: 0,
    });
    expect(first.phones.length).toBeGreaterThan(5);
    expect(first.words[0]?.label).toBe('One');
    const end = await client.next('reply_end', () => true, 10_000);
    const headers = client.messages.flatMap((m) =>
      m.type === 'reply_audio' && m.replyId === first.replyId ? [m] : [],
    );
    expect(end).toEqual({ type: 'reply_end', replyId: first.replyId, sentences: headers.length });
    // Spoken text is cleaned: money in words, no symbols.
    expect(headers.map((h) => h.text).join(' ')).toMatch(
      /^One Margarita, that's eleven dollars, coming right up\.$/,
    );
    await expect
      .poll(() => audio.samples, { timeout: 5000 })
      .toBe(headers.reduce((n, h) => n + h.samples, 0));
    expect(audio.frames).toBeGreaterThan(1);
    // The voice stages were observed for /metrics.
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/maya_turn_stage_seconds_count\{stage="stt_final"\} [1-9]/);
    expect(metrics).toMatch(/maya_turn_stage_seconds_count\{stage="tts_first_audio"\} [1-9]/);
    await client.close();
  });
});

describe('barge-in and the echo guard', () => {
  it('stops Maya when the guest speaks over her and cancels the rest of her reply', async () => {
    // The menu reply ends in a question that is still to come (~6 s in) when the guest cuts in.
    const [ask, order] = await speakClips(["what's on the menu", 'two beers please']);
    const { client } = await voiceClient();
    await streamPcm((f) => client.sendRaw(f), ask!.pcm, { realTime: false });
    const first = await client.next('reply_audio', () => true, 10_000);
    // The embedded brain writes the whole reply at once; it ends in a question.
    expect(client.messages.find((m) => m.type === 'reply')).toMatchObject({
      text: expect.stringMatching(/\?$/),
    });

    await streamPcm((f) => client.sendRaw(f), order!.pcm, { frameMs: 100 });
    const interrupted = await client.next('interrupted', () => true, 5000);
    expect(interrupted).toEqual({
      type: 'interrupted',
      replyId: first.replyId,
      reason: 'barge_in',
    });
    // Cut in while the guest was still talking: before their transcript; the closing question never went out.
    const at = (pred: (m: (typeof client.messages)[number]) => boolean) =>
      client.messages.findIndex(pred);
    expect(at((m) => m.type === 'interrupted')).toBeLessThan(
      at((m) => m.type === 'transcript_final' && m.text === 'two beers please'),
    );
    await expect
      .poll(
        () => client.messages.some((m) => m.type === 'state' && m.state.payment.tabCents === 1000),
        { timeout: 10_000 },
      )
      .toBe(true);
    const sent = client.messages.flatMap((m) =>
      m.type === 'reply_audio' && m.replyId === first.replyId ? [m.text] : [],
    );
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((t) => t.endsWith('?'))).toEqual([]);
    expect(client.messages.some((m) => m.type === 'reply_end' && m.replyId === first.replyId)).toBe(
      false,
    );
    await client.close();
  });

  it("ignores Maya's own voice coming back through the microphone", async () => {
    const [ask] = await speakClips(['what do you recommend']);
    const { client } = await voiceClient();
    const replyAudio: Buffer[] = [];
    client.ws.on('message', (data, isBinary) => {
      if (isBinary) replyAudio.push(data as Buffer);
    });
    await streamPcm((f) => client.sendRaw(f), ask!.pcm, { realTime: false });
    await client.next('reply_audio', () => true, 10_000);
    await expect.poll(() => replyAudio.length).toBeGreaterThan(0);

    // Her reply played straight back into the microphone at real-time pace (worse than any room:
    // no echo cancellation at all), followed by a second of silence for the endpointer.
    const echo = new Int16Array(new Uint8Array(Buffer.concat(replyAudio)).buffer);
    await streamPcm(
      (f) => client.sendRaw(f),
      new Int16Array([...echo.slice(0, 16000 * 3), ...new Int16Array(16000)]),
      { frameMs: 100 },
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(client.messages.some((m) => m.type === 'interrupted' && m.reason === 'barge_in')).toBe(
      false,
    );
    // Whatever the recogniser made of it did not become a turn.
    expect(client.messages.filter((m) => m.type === 'reply').length).toBe(1);
    expect(client.messages.filter((m) => m.type === 'state' && m.state.order.length > 0)).toEqual(
      [],
    );
    await client.close();
  });
});

describe('out-of-grammar speech', () => {
  // Nothing here is a drink order; the grammar's phone loop must soak it up instead of a drink.
  const OUT_OF_GRAMMAR = [
    'where is the bathroom',
    'tell me a joke',
    'what time do you close',
    'i would like a pizza',
    'is it going to rain tomorrow',
    'my name is john',
    'can you turn the music down',
    'who won the game last night',
    'do you have wifi',
    'i need a taxi',
    'what is the meaning of life',
    'the weather is lovely today',
    'i lost my phone somewhere',
    'could you call me a cab',
  ];

  it(`adds nothing to the tab for at most 1 of ${OUT_OF_GRAMMAR.length} utterances`, async () => {
    const clips = await speakClips(OUT_OF_GRAMMAR);
    const { client } = await voiceClient();
    const charged: string[] = [];
    let tab = 0;
    for (const clip of clips) {
      await streamPcm((f) => client.sendRaw(f), clip.pcm, { realTime: false });
      // Generous timeouts: the decoder runs faster than real time, but this machine may be busy.
      const final = await client.next('transcript_final', () => true, 30_000);
      if (!final.rejected) await client.next('reply', () => true, 10_000);
      const state = await app.manager.get(
        (client.messages.find((m) => m.type === 'welcome') as { sessionId: string }).sessionId,
      );
      if (state.payment.tabCents > tab) charged.push(`${clip.text} → ${final.text}`);
      tab = state.payment.tabCents;
    }
    console.log(`out-of-grammar: ${charged.length}/${clips.length} added to the tab`, charged);
    expect(charged.length).toBeLessThanOrEqual(1);
    await client.close();
  }, 120_000);

  it('reads back a spoken "get two", and asks for the answer again when it is a short sound it cannot make out', async () => {
    const [order] = await speakClips(['can i get two beers please']);
    const { client } = await voiceClient();
    await streamPcm((f) => client.sendRaw(f), order!.pcm, { realTime: false });
    const readBack = await client.next('reply', () => true, 30_000);
    expect(readBack.text).toMatch(/^Just to (check|be sure) — two Tap Beers/);
    await client.next('reply_end', () => true, 10_000);
    await new Promise((r) => setTimeout(r, 3000)); // played out (audio goes ahead of playback by up to 1 s)
    // A short burst that is no word at all, as a "yes" can sound in a loud bar.
    let seed = 3;
    const burst = Int16Array.from({ length: 16_000 * 1.2 }, (_, i) =>
      i < 4000 || i > 11_000 ? 0 : ((seed = (seed * 1_103_515_245 + 12_345) >>> 0) % 16_000) - 8000,
    );
    await streamPcm((f) => client.sendRaw(f), burst, { realTime: false });
    const final = await client.next('transcript_final', () => true, 30_000);
    expect(final.rejected).toBe(true);
    const again = await client.next('reply', () => true, 10_000);
    expect(again.text).toMatch(/answer/);
    await client.close();
  }, 60_000);
});
