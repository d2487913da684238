/**
 * Cartesia in live voice sessions, end to end over Maya's websocket: a guest's keys → the real
 * Cartesia SDK against the TLS stub (STT and TTS) and the real Gemini SDK against its stub, with the
 * real VAD deciding when the guest stopped. Covers the spoken turn, speech starting before the
 * model finishes, barge-in cancelling the Cartesia context, the embedded engines taking over when
 * either socket dies (with a spoken notice, nothing lost), and the socket closing when the guest leaves.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startApp } from '../../app.ts';
import type { App } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { TestClient } from '../../testing/wsClient.ts';
import { speakClips, streamPcm } from '../../testing/speech.ts';
import type { Clip } from '../../testing/speech.ts';
import { startCartesiaStub } from '../../testing/stubs/cartesia.ts';
import type { CartesiaStub } from '../../testing/stubs/cartesia.ts';
import { startGeminiStub } from '../../testing/stubs/gemini.ts';
import type { GeminiStub } from '../../testing/stubs/gemini.ts';
import { EXPRESS_TOOL } from '../../llm/gemini.ts';
import { SPEECH_FALLBACK_NOTICE } from '../withFallback.ts';
import { CARTESIA_TTS_SAMPLE_RATE_HZ } from './tts.ts';

const CARTESIA_KEY = 'sk_car_live_guest';
const GEMINI_KEY = 'gemini-live-guest';
/** Model latency per streamed chunk: the reply takes well over half a second to write. */
const GEMINI_CHUNK_MS = 200;

let cartesia: CartesiaStub;
let gemini: GeminiStub;
let app: App;
let dir: string;
let order: Clip;
/** A clip the embedded recogniser gets right (the fallback test compares its transcript). */
let margarita: Clip;
const wsUrl = () => `${app.url.replace('http', 'ws')}/ws`;

beforeAll(async () => {
  cartesia = await startCartesiaStub({ validKeys: [CARTESIA_KEY], chunkDelayMs: 40 });
  gemini = await startGeminiStub({ validKeys: [GEMINI_KEY] });
  dir = mkdtempSync(join(tmpdir(), 'maya-live-'));
  writeFileSync(join(dir, 'ca.pem'), cartesia.ca);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    CARTESIA_BASE_URL: cartesia.baseUrl,
    CARTESIA_CA_FILE: join(dir, 'ca.pem'),
    GEMINI_BASE_URL: gemini.baseUrl,
    MAYA_MASTER_KEY: randomBytes(32).toString('base64'),
  });
  app = await startApp(config, {
    log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    serveClient: false,
  });
  [order, margarita] = (await speakClips([
    'two negronis please',
    "i'd like a margarita please",
  ])) as [Clip, Clip];
});
afterAll(async () => {
  await app?.close();
  await cartesia?.close();
  await gemini?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A guest with keys set, counting the reply audio it receives. */
async function guest(keys: { gemini?: string; cartesia?: string }) {
  const client = await TestClient.open(wsUrl());
  const audio = { samples: 0 };
  /** When each kind of message first arrived (performance.now()), for the latency figures. */
  const arrived = new Map<string, number>();
  client.ws.on('message', (data, isBinary) => {
    if (isBinary) audio.samples += (data as Buffer).length / 2;
    else {
      const type = (JSON.parse(String(data)) as { type: string }).type;
      if (!arrived.has(type)) arrived.set(type, performance.now());
    }
  });
  const welcome = await client.hello();
  client.send({ type: 'set_keys', ...keys });
  const status = await client.next('key_status');
  if (keys.cartesia) expect(status.cartesia).toBe('valid');
  if (keys.gemini) expect(status.gemini).toBe('valid');
  const at = (pred: (m: (typeof client.messages)[number]) => boolean) =>
    client.messages.findIndex(pred);
  const headers = () => client.messages.flatMap((m) => (m.type === 'reply_audio' ? [m] : []));
  return { client, audio, arrived, sessionId: welcome.sessionId, at, headers };
}

const fallbacks = async (what: 'tts' | 'stt') => {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  return Number(
    new RegExp(`maya_speech_fallbacks_total\\{what="${what}"\\} (\\d+)`).exec(text)?.[1] ?? 0,
  );
};

describe('Cartesia in live voice sessions', () => {
  it('"two negronis please", spoken: Cartesia hears it, Gemini orders through the tools, Cartesia speaks while Gemini still writes', async () => {
    const { client, audio, arrived, sessionId, at, headers } = await guest({
      gemini: GEMINI_KEY,
      cartesia: CARTESIA_KEY,
    });
    cartesia.sttTranscripts.push('two| negronis please');
    gemini.script(
      {
        chunks: [
          [
            {
              functionCall: {
                id: 'c1',
                name: 'add_to_order',
                args: { item: 'negroni', quantity: 2 },
              },
            },
            { functionCall: { name: EXPRESS_TOOL, args: { emotion: 'mixing' } } },
          ],
        ],
      },
      {
        delayMs: GEMINI_CHUNK_MS,
        chunks: [
          [{ text: 'Two Negronis, coming right up. ' }],
          [{ text: 'They are my favourite: ' }],
          [{ text: 'bitter and bright. ' }],
          [{ text: 'Anything else?' }],
        ],
      },
    );
    // At the microphone's pace, so partial captions arrive while the guest is still speaking.
    await streamPcm((f) => client.sendRaw(f), order.pcm, { frameMs: 100 });

    const ended = await client.next('speech_ended', () => true, 15_000);
    const final = await client.next('transcript_final', () => true, 10_000);
    expect(final).toMatchObject({
      text: 'two negronis please',
      rejected: false,
      utteranceId: ended.utteranceId,
    });
    expect(
      client.messages.some((m) => m.type === 'transcript_partial' && m.text.startsWith('two')),
    ).toBe(true);
    const first = await client.next('reply_audio', () => true, 10_000);
    const reply = await client.next('reply', () => true, 10_000);
    const end = await client.next('reply_end', (m) => m.replyId === first.replyId, 15_000);

    // Cartesia's voice: 24 kHz, word timings for captions and the mouth (no phones).
    expect(first).toMatchObject({
      sampleRate: CARTESIA_TTS_SAMPLE_RATE_HZ,
      sentence: 0,
      phones: [],
    });
    // Maya was talking before the model had finished writing her reply.
    expect(at((m) => m === first)).toBeLessThan(at((m) => m === reply));
    expect(reply).toEqual({
      type: 'reply',
      text: 'Two Negronis, coming right up. They are my favourite: bitter and bright. Anything else?',
      emotion: 'mixing',
    });
    const spoken = headers().filter((h) => h.replyId === first.replyId);
    expect([...new Set(spoken.map((h) => h.text))]).toEqual([
      'Two Negronis, coming right up.',
      'They are my favourite: bitter and bright.',
      'Anything else?',
    ]);
    expect(end.sentences).toBe(3);
    // Cartesia's word timings (they follow their audio, so they ride on the next chunk's header).
    expect(spoken.flatMap((h) => h.words.map((w) => w.label)).join(' ')).toBe(
      'Two Negronis, coming right up. They are my favourite: bitter and bright. Anything else?',
    );
    await expect
      .poll(() => audio.samples, { timeout: 5000 })
      .toBe(spoken.reduce((n, h) => n + h.samples, 0));

    const state = await app.manager.get(sessionId);
    expect(state.order.map((l) => [l.item, l.quantity])).toEqual([['Negroni', 2]]);
    expect(state.payment.tabCents).toBe(2200);
    // The recogniser was Cartesia's (the menu boosted), fed the microphone audio.
    expect(cartesia.sttBytes()).toBeGreaterThan(order.pcm.length);
    expect(cartesia.sttQueries.at(-1)?.get('model')).toBe('ink-2');
    expect(decodeURIComponent(cartesia.sttQueries.at(-1)?.toString() ?? '')).toContain('Negroni');
    const [endedAt, finalAt, firstAt, replyAt] = [
      'speech_ended',
      'transcript_final',
      'reply_audio',
      'reply',
    ].map((t) => arrived.get(t)!) as [number, number, number, number];
    // The model needs 4 chunks × GEMINI_CHUNK_MS for the whole reply; the first audio must not wait for it.
    expect(replyAt - firstAt).toBeGreaterThan(GEMINI_CHUNK_MS);
    console.log(
      `[figure] live voice via Cartesia stub + Gemini stub (${GEMINI_CHUNK_MS} ms per model chunk): end of speech → final transcript ${(finalAt - endedAt).toFixed(0)} ms; ` +
        `final transcript → first reply audio ${(firstAt - finalAt).toFixed(0)} ms; final transcript → full reply text ${(replyAt - finalAt).toFixed(0)} ms`,
    );
    expect(await fallbacks('tts')).toBe(0);
    expect(await fallbacks('stt')).toBe(0);
    await client.close();
  }, 60_000);

  it('sockets Cartesia closes while the guest is quiet are reopened for the next words: no fallback, no notice', async () => {
    const { client, headers } = await guest({ cartesia: CARTESIA_KEY });
    const sttSockets = cartesia.sttQueries.length;
    const before = { tts: await fallbacks('tts'), stt: await fallbacks('stt') };
    cartesia.sttTranscripts.push('two negronis please');
    await streamPcm((f) => client.sendRaw(f), order.pcm, { realTime: false });
    await client.next('reply_end', () => true, 15_000);
    cartesia.dropSockets(); // the service closes idle sockets
    await new Promise((r) => setTimeout(r, 200));

    cartesia.sttTranscripts.push('a negroni please');
    await streamPcm((f) => client.sendRaw(f), order.pcm, { realTime: false });
    expect((await client.next('transcript_final', () => true, 15_000)).text).toBe(
      'a negroni please',
    );
    const end = await client.next('reply_end', () => true, 15_000);
    expect(
      headers()
        .filter((h) => h.replyId === end.replyId)
        .every((h) => h.sampleRate === CARTESIA_TTS_SAMPLE_RATE_HZ),
    ).toBe(true);
    expect(cartesia.sttQueries.length).toBe(sttSockets + 2);
    expect({ tts: await fallbacks('tts'), stt: await fallbacks('stt') }).toEqual(before);
    expect(
      client.messages.some((m) => m.type === 'reply' && m.text === SPEECH_FALLBACK_NOTICE),
    ).toBe(false);
    await client.close();
  }, 40_000);

  it('barge-in cancels the Cartesia context; the socket closes when the guest leaves', async () => {
    const { client } = await guest({ cartesia: CARTESIA_KEY });
    client.sendRaw(Buffer.alloc(3200)); // a frame of silence: the voice pipeline is on
    await expect.poll(() => cartesia.openTtsSockets(), { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    const cancelledBefore = cartesia.cancelled.length;
    client.send({ type: 'user_text', text: "what's on the menu" });
    const second = await client.next('reply_audio', (m) => m.sentence === 1, 10_000);
    client.send({ type: 'barge_in' });
    expect(await client.next('interrupted')).toEqual({
      type: 'interrupted',
      replyId: second.replyId,
      reason: 'client',
    });
    await expect
      .poll(() => cartesia.cancelled.length, { timeout: 5000 })
      .toBeGreaterThan(cancelledBefore);
    await new Promise((r) => setTimeout(r, 300));
    expect(client.messages.some((m) => m.type === 'reply_audio' && m.sentence > 1)).toBe(false);
    expect(
      client.messages.some((m) => m.type === 'reply_end' && m.replyId === second.replyId),
    ).toBe(false);

    const open = cartesia.openTtsSockets();
    await client.close();
    await expect.poll(() => cartesia.openTtsSockets(), { timeout: 5000 }).toBe(open - 1);
  }, 30_000);

  it('barge-in also stops Gemini writing: the reply keeps only what was said, and the next turn does not wait for the old stream', async () => {
    const { client } = await guest({ gemini: GEMINI_KEY, cartesia: CARTESIA_KEY });
    client.sendRaw(Buffer.alloc(3200));
    const slow = 400; // five chunks: the whole reply would take 2 s to write
    gemini.script({
      delayMs: slow,
      chunks: [
        [{ text: 'Let me tell you about tonight. ' }],
        [{ text: 'The Negroni is bitter, ' }],
        [{ text: 'the Mojito is fresh. ' }],
        [{ text: 'The Martini is classic. ' }],
        [{ text: 'Which one?' }],
      ],
    });
    const t0 = performance.now();
    client.send({ type: 'user_text', text: 'what do you recommend' });
    const first = await client.next('reply_audio', () => true, 10_000);
    client.send({ type: 'barge_in' });
    const reply = await client.next('reply', () => true, 10_000);
    const replyMs = performance.now() - t0;
    expect(reply.text).toBe('Let me tell you about tonight.');
    expect(replyMs).toBeLessThan(slow * 5 - 300);
    expect(
      client.messages
        .filter((m) => m.type === 'reply_audio' && m.replyId === first.replyId)
        .every((m) => m.type === 'reply_audio' && m.sentence === 0),
    ).toBe(true);

    gemini.script({ chunks: [[{ text: 'Sure thing.' }]] });
    client.send({ type: 'user_text', text: 'just water please' });
    expect((await client.next('reply', () => true, 5000)).text).toBe('Sure thing.');
    console.log(
      `[figure] barge-in on a Gemini reply that takes ${slow * 5} ms to write: its turn ended ${replyMs.toFixed(0)} ms after it started`,
    );
    await client.close();
  }, 30_000);

  it('Cartesia TTS dies mid-reply: the embedded voice says so and finishes the reply; nothing is lost', async () => {
    const { client, sessionId, headers } = await guest({ cartesia: CARTESIA_KEY });
    client.sendRaw(Buffer.alloc(3200));
    await expect.poll(() => cartesia.openTtsSockets(), { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    const before = await fallbacks('tts');
    cartesia.dieAfterTtsChunks(2); // two words into the reply
    try {
      client.send({ type: 'user_text', text: 'two negronis please' });
      const reply = await client.next('reply', () => true, 10_000);
      expect(reply.text).toBe("Two Negronis, that's $22.00 — coming right up.");
      const end = await client.next('reply_end', () => true, 20_000);
      const spoken = headers().filter((h) => h.replyId === end.replyId);
      const cloud = spoken.filter((h) => h.sampleRate === CARTESIA_TTS_SAMPLE_RATE_HZ);
      const embedded = spoken.filter((h) => h.sampleRate === 16_000);
      expect(cloud.length).toBeGreaterThan(0);
      // The guest heard "Two Negronis," from Cartesia, then the notice, then the rest from Flite.
      // What the guest heard, word by word: Cartesia's first words, the notice, then Flite picks up
      // from the last word Cartesia had confirmed (a word may be said twice, none is lost).
      const heard = spoken.flatMap((h) => h.words.map((w) => w.label)).join(' ');
      expect(heard).toMatch(
        new RegExp(
          `^Two (Negronis, )?${SPEECH_FALLBACK_NOTICE.replace(/[.;]/g, '.')} (Negronis, )?that's twenty two dollars, coming right up\\.$`,
        ),
      );
      expect(embedded.length).toBeGreaterThan(0);
      expect((await app.manager.get(sessionId)).payment.tabCents).toBe(2200);
      expect(await fallbacks('tts')).toBe(before + 1);

      // The session stays on the embedded voice from then on.
      client.send({ type: 'user_text', text: 'thanks' });
      const next = await client.next('reply_audio', () => true, 10_000);
      expect(next.sampleRate).toBe(16_000);
    } finally {
      cartesia.dieAfterTtsChunks(null);
      await client.close();
    }
  }, 30_000);

  it('Cartesia STT dies mid-utterance: the embedded recogniser hears the whole utterance again, and Maya says she switched', async () => {
    const { client } = await guest({ cartesia: CARTESIA_KEY });
    const before = await fallbacks('stt');
    cartesia.dieAfterSttBytes(16_000); // half a second into the guest's speech
    try {
      cartesia.sttTranscripts.push('never heard: the socket dies first');
      await streamPcm((f) => client.sendRaw(f), margarita.pcm, { realTime: false });
      const final = await client.next('transcript_final', () => true, 20_000);
      expect(final.text).toBe("i'd like a margarita please");
      await expect
        .poll(
          () =>
            client.messages.some((m) => m.type === 'reply' && m.text === SPEECH_FALLBACK_NOTICE),
          { timeout: 10_000 },
        )
        .toBe(true);
      await expect
        .poll(
          () =>
            client.messages.some(
              (m) => m.type === 'reply_audio' && /bear with my backup voice/i.test(m.text),
            ),
          { timeout: 10_000 },
        )
        .toBe(true);
      expect(await fallbacks('stt')).toBe(before + 1);
      // The turn itself went through (the grammar recogniser's orders are read back before charging).
      await expect
        .poll(() => client.messages.some((m) => m.type === 'reply' && /Margarita/.test(m.text)), {
          timeout: 10_000,
        })
        .toBe(true);
    } finally {
      cartesia.dieAfterSttBytes(null);
      cartesia.sttTranscripts.length = 0;
      await client.close();
    }
  }, 40_000);
});
