/**
 * The recognition worker dies mid-utterance (over the real websocket, real engines): the guest hears
 * an apology instead of silence, a fresh worker takes over and recognises the next utterance,
 * /metrics counts the failure, and /readyz reports the engine while it cannot serve.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startApp } from '../app.ts';
import type { App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { TestClient } from '../testing/wsClient.ts';
import { speakClips, streamPcm } from '../testing/speech.ts';
import type { Clip } from '../testing/speech.ts';

let app: App;
let clip: Clip;

beforeAll(async () => {
  // One worker: the guest's stream is on the one that is killed.
  app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', MAYA_SPEECH_WORKERS: '1' }), {
    log: pino({ level: 'silent' }),
    serveClient: false,
  });
  clip = (await speakClips(['can i get the bill'], { leadMs: 300, tailMs: 800 }))[0]!;
  await app.speechPool!.warmUp();
}, 60_000);
afterAll(() => app?.close());

const readyz = async () => {
  const res = await fetch(`${app.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { ok: boolean; speech?: string } };
};
const failures = async () =>
  Number(
    (await (await fetch(`${app.url}/metrics`)).text()).match(
      /maya_speech_engine_failures_total\{engine="soundswallower",kind="crash"\} (\d+)/,
    )?.[1] ?? 0,
  );
const killWorker = () => app.speechPool!.terminateWorker(app.speechPool!.workerIds()[0]!);
const replaced = () =>
  expect.poll(() => app.speechPool!.stats().liveWorkers, { timeout: 20_000 }).toBe(1);

describe('speech engine failure', () => {
  it('apologises when the recogniser dies mid-utterance, replaces it, and reports it on /readyz and /metrics', async () => {
    const client = await TestClient.open(`${app.url.replace('http', 'ws')}/ws`);
    await client.hello();
    expect(await readyz()).toEqual({ status: 200, body: { ok: true, store: 'memory' } });

    // The guest is half-way through the sentence (captions show) when the worker dies.
    const spoken = clip.pcm.subarray(0, Math.floor(clip.speechEndSample * 0.75));
    await streamPcm((f) => client.sendRaw(f), spoken);
    await client.next('transcript_partial', (m) => m.text !== '', 10_000);
    await killWorker();
    // With its only worker gone, the engine cannot serve until the replacement is up: /readyz says so.
    expect(await readyz()).toEqual({
      status: 503,
      body: {
        ok: false,
        store: 'memory',
        speech: expect.stringMatching(/no speech worker can create a recogniser/),
      },
    });

    const final = await client.next('transcript_final', () => true, 10_000);
    expect(final).toMatchObject({ text: '', rejected: true });
    const apology = await client.next('reply', () => true, 10_000);
    expect(apology.text).toMatch(/sorry/i);
    await client.next('reply_audio', (m) => /sorry/i.test(m.text), 10_000); // spoken, not only captioned
    expect(await failures()).toBe(1);

    // A fresh worker hears the guest say it again.
    await replaced();
    expect((await readyz()).status).toBe(200);
    await streamPcm((f) => client.sendRaw(f), clip.pcm);
    const again = await client.next('transcript_final', () => true, 20_000);
    expect(again.text).toMatch(/bill/);

    expect(await readyz()).toEqual({ status: 200, body: { ok: true, store: 'memory' } });
    // (Failures in a row with no recognition between them: see pool.test.ts.)
    await client.close();
  }, 120_000);
});
