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
  app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), { log: pino({ level: 'silent' }), serveClient: false });
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
    const partials = client.messages.filter((m) => m.type === 'transcript_partial').map((m) => (m.type === 'transcript_partial' ? m.text : ''));
    expect(partials.length).toBeGreaterThan(2);
    expect(partials).toContain("i'd like");
    expect(client.messages.findIndex((m) => m.type === 'speech_started')).toBeLessThan(client.messages.findIndex((m) => m.type === 'transcript_partial'));

    const reply = await client.next('reply', () => true, 10_000);
    expect(reply.text).toMatch(/One Margarita, that's \$11\.00/);
    const welcome = client.messages.find((m) => m.type === 'welcome');
    const state = await app.manager.get(welcome?.type === 'welcome' ? welcome.sessionId : '');
    expect(state.order.map((l) => [l.item, l.quantity])).toEqual([['Margarita', 1]]);
    expect(client.messages.some((m) => m.type === 'state' && m.state.payment.tabCents === 1100)).toBe(true);

    const first = await client.next('reply_audio', () => true, 10_000);
    expect(first).toMatchObject({ encoding: 'pcm_s16le', sampleRate: 16000, channels: 1, sentence: 0 });
    expect(first.text).toMatch(/eleven dollars/);
    expect(first.phones.length).toBeGreaterThan(5);
    expect(first.words[0]?.label).toBe('One');
    const headers = [first];
    while (headers.length < first.sentences) headers.push(await client.next('reply_audio', () => true, 10_000));
    await expect.poll(() => audio.samples, { timeout: 5000 }).toBe(headers.reduce((n, h) => n + h.samples, 0));
    expect(audio.frames).toBeGreaterThan(1);
    await client.close();
  });
});
