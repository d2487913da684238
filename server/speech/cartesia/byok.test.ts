/** A guest's Cartesia key through the app: checked over TLS, then used for that session's voice. */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startApp } from '../../app.ts';
import type { App } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import type { Config } from '../../config.ts';
import { cartesiaCa } from '../../keys/compose.ts';
import { TestClient } from '../../testing/wsClient.ts';
import { startCartesiaStub } from '../../testing/stubs/cartesia.ts';
import type { CartesiaStub } from '../../testing/stubs/cartesia.ts';
import type { TtsChunk } from '../types.ts';
import { cloudSpeechFor } from './index.ts';
import { CartesiaTts } from './tts.ts';
import { startGeminiStub } from '../../testing/stubs/gemini.ts';
import { GeminiLlm } from '../../llm/gemini.ts';

let stub: CartesiaStub;
let app: App;
let config: Config;
let dir: string;
beforeAll(async () => {
  stub = await startCartesiaStub({ validKeys: ['sk_car_guest_key'] });
  dir = mkdtempSync(join(tmpdir(), 'maya-ca-'));
  writeFileSync(join(dir, 'ca.pem'), stub.ca);
  config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    CARTESIA_BASE_URL: stub.baseUrl,
    CARTESIA_CA_FILE: join(dir, 'ca.pem'),
    MAYA_MASTER_KEY: randomBytes(32).toString('base64'),
  });
  app = await startApp(config, { log: pino({ level: 'silent' }), serveClient: false });
});
afterAll(async () => {
  await app.close();
  await stub.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Cartesia BYOK', () => {
  it('a bad key is invalid:invalid; a good one is valid and gives this session Cartesia speech', async () => {
    const c = await TestClient.open(`${app.url.replace('http', 'ws')}/ws`);
    const w = await c.hello();
    c.send({ type: 'set_keys', cartesia: 'sk_car_wrong' });
    expect(await c.next('key_status')).toMatchObject({
      cartesia: 'invalid:invalid',
      gemini: 'missing',
    });
    expect(await app.keys.keyFor(w.sessionId, 'cartesia')).toBeNull();
    c.send({ type: 'set_keys', cartesia: 'sk_car_guest_key' });
    expect((await c.next('key_status')).cartesia).toBe('valid');
    expect(JSON.stringify(c.messages)).not.toContain('sk_car_guest_key');

    const key = await app.keys.keyFor(w.sessionId, 'cartesia');
    expect(key).toBe('sk_car_guest_key');
    const fallbacks: string[] = [];
    const never = {
      name: 'embedded',
      async *synthesize(): AsyncIterable<TtsChunk> {},
      async close() {},
    };
    const speech = cloudSpeechFor({
      apiKey: key!,
      config,
      ca: cartesiaCa(config),
      embedded: {
        tts: never,
        stt: { name: 'embedded', start: () => Promise.reject(new Error('unused')) },
      },
      onFallback: (what) => fallbacks.push(what),
    });
    // Time to first audio chunk, measured at the adapter: first sentence on a fresh socket (handshake
    // included), then a second sentence on the now-warm socket.
    const firstChunk = async (text: string) => {
      const t0 = performance.now();
      let ms = -1;
      let samples = 0;
      for await (const ch of speech.tts.synthesize(text, new AbortController().signal)) {
        if (ms < 0) ms = performance.now() - t0;
        samples += ch.pcm.length;
      }
      return { ms, samples };
    };
    const cold = await firstChunk('Two Negronis, coming right up.');
    const warm = await firstChunk('Anything else?');
    console.log(
      `[figure] Cartesia stub path (TLS, real SDK): first audio chunk ${cold.ms.toFixed(1)} ms for the first sentence right after the session's socket was created, ${warm.ms.toFixed(1)} ms on the warm socket`,
    );
    expect(cold.samples).toBeGreaterThan(0);
    expect(warm.samples).toBeGreaterThan(0);
    expect(fallbacks).toEqual([]);
    expect(speech.tts.name).toBe('cartesia');
    await speech.tts.close();
    await c.close();
  });

  it('speech starts before the model finishes: Gemini stream → sentences → Cartesia TTS', async () => {
    const gemini = await startGeminiStub({ validKeys: ['g'] });
    const tts = new CartesiaTts({ apiKey: 'sk_car_guest_key', baseUrl: stub.baseUrl, ca: stub.ca });
    try {
      await tts.warm();
      // Twice: the first turn also pays for loading the SDKs' lazy modules; the second is the steady state.
      for (const run of ['first turn', 'second turn']) {
        gemini.script({
          delayMs: 100,
          chunks: [
            [{ text: 'Two Negronis, coming right up. ' }],
            [{ text: 'They are my favourite, ' }],
            [{ text: 'bitter and bright.' }],
          ],
        });
        const llm = new GeminiLlm({ apiKey: 'g', baseUrl: gemini.baseUrl });
        const state = await app.manager.createSession();
        const t0 = performance.now();
        let firstAudioMs = -1;
        const speaking: Promise<void>[] = [];
        let chain = Promise.resolve();
        const out = await llm.turn({
          text: 'two negronis please',
          state,
          history: [],
          runTool: async () => ({ ok: true, result: null }),
          onSentence: (sentence) => {
            // Sentences are spoken in order, each as soon as it is complete.
            chain = chain.then(async () => {
              for await (const _ of tts.synthesize(sentence, new AbortController().signal))
                if (firstAudioMs < 0) firstAudioMs = performance.now() - t0;
            });
            speaking.push(chain);
          },
        });
        const replyMs = performance.now() - t0;
        await Promise.all(speaking);
        console.log(
          `[figure] Gemini stub (100 ms per chunk) → Cartesia stub, ${run}: first audio ${firstAudioMs.toFixed(1)} ms after the turn started; full model reply ${replyMs.toFixed(1)} ms`,
        );
        expect(out.text).toBe(
          'Two Negronis, coming right up. They are my favourite, bitter and bright.',
        );
        expect(firstAudioMs).toBeGreaterThan(0);
        expect(firstAudioMs).toBeLessThan(replyMs - 50);
      }
    } finally {
      await tts.close();
      await gemini.close();
    }
  });
});
