/**
 * The cloud voice in a real browser: a server with the bar's own Gemini and Cartesia keys, both
 * services replaced by local stubs that speak their real wire protocols (Cartesia over TLS), and
 * Chromium's fake microphone saying "two negronis please". Cartesia hears it, Gemini orders through
 * the tools, and Cartesia's 24 kHz voice plays in the page, chunk by chunk, starting before the
 * model has finished writing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import {
  concatPcm,
  speakClips,
  TEST_SAMPLE_RATE_HZ,
  writeTempWav,
} from '../server/testing/speech.ts';
import { startServerProcess } from '../server/testing/processes.ts';
import type { ServerProcess } from '../server/testing/processes.ts';
import { startCartesiaStub } from '../server/testing/stubs/cartesia.ts';
import type { CartesiaStub } from '../server/testing/stubs/cartesia.ts';
import { startGeminiStub } from '../server/testing/stubs/gemini.ts';
import type { GeminiStub } from '../server/testing/stubs/gemini.ts';

const STATIC_DIR = fileURLToPath(new URL('../dist/e2e', import.meta.url));
const silence = (ms: number) => new Int16Array((ms * TEST_SAMPLE_RATE_HZ) / 1000);

let cartesia: CartesiaStub;
let gemini: GeminiStub;
let server: ServerProcess;
let dir: string;
let url: string;

test.beforeAll(async () => {
  cartesia = await startCartesiaStub({
    validKeys: ['sk_car_bar'],
    firstChunkDelayMs: 40,
    chunkDelayMs: 20,
  });
  gemini = await startGeminiStub({ validKeys: ['gemini-bar'] });
  dir = mkdtempSync(join(tmpdir(), 'maya-e2e-cloud-'));
  writeFileSync(join(dir, 'ca.pem'), cartesia.ca);
  server = await startServerProcess({
    MAYA_STATIC_DIR: STATIC_DIR,
    CARTESIA_API_KEY: 'sk_car_bar',
    CARTESIA_BASE_URL: cartesia.baseUrl,
    CARTESIA_CA_FILE: join(dir, 'ca.pem'),
    GEMINI_API_KEY: 'gemini-bar',
    GEMINI_BASE_URL: gemini.baseUrl,
  });
  url = server.url;
});
test.afterAll(async () => {
  await server?.stop();
  await cartesia?.close();
  await gemini?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface TraceEntry {
  kind: string;
  t: number;
  replyId?: number;
}
const voiceTrace = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { __mayaVoiceTrace?: TraceEntry[] }).__mayaVoiceTrace ?? [],
  );

test("speaking to Maya with the bar's Cartesia and Gemini keys: heard, ordered, answered in the cloud voice", async () => {
  const [order] = await speakClips(['two negronis please'], { leadMs: 0, tailMs: 0 });
  const wav = writeTempWav('cloud-order.wav', concatPcm([silence(800), order!.pcm, silence(9000)]));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${wav}%noloop`],
  });
  try {
    cartesia.sttTranscripts.push('two negronis please');
    gemini.script(
      {
        chunks: [
          [
            { functionCall: { name: 'add_to_order', args: { item: 'negroni', quantity: 2 } } },
            { functionCall: { name: 'express', args: { emotion: 'mixing' } } },
          ],
        ],
      },
      {
        delayMs: 250,
        chunks: [
          [{ text: 'Two Negronis, coming right up. ' }],
          [{ text: 'They are my favourite: ' }],
          [{ text: 'bitter and bright. ' }],
          [{ text: 'Anything else?' }],
        ],
      },
    );
    const page = await browser.newPage();
    await page.goto(`${url}/?e2e=1`);
    await expect(page.getByTestId('status')).toHaveText('ready');
    await page.getByTestId('mic-start').click();

    await expect(
      page.locator('.caption-guest').filter({ hasText: 'two negronis please' }),
    ).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId('tab')).toHaveText('$22.00');
    await expect(page.getByTestId('maya-speaking')).toBeVisible({ timeout: 15_000 });
    // Lip-sync from Cartesia's word timings, on the playback clock: the mouth opens and closes per syllable.
    const mouth = await page.evaluate(async () => {
      const samples: { open: number; viseme?: string; caption: string }[] = [];
      for (let i = 0; i < 80; i++) {
        samples.push({
          ...window.__mayaTest!.mouth(),
          caption: document.querySelector('[data-testid="maya-speaking"]')?.textContent ?? '',
        });
        await new Promise((r) => setTimeout(r, 25));
      }
      return samples;
    });
    // The spoken-sentence caption moves on with the audio, each sentence once.
    const captions = mouth.map((m) => m.caption).filter((c, i, all) => c && c !== all[i - 1]);
    expect(captions.some((c) => c.includes('They are my favourite'))).toBe(true);
    expect(new Set(captions).size).toBe(captions.length);
    const timed = mouth.filter((m) => m.viseme === 'word');
    expect(timed.length).toBeGreaterThan(10);
    expect(Math.max(...timed.map((m) => m.open))).toBeGreaterThan(0.4);
    expect(Math.min(...timed.map((m) => m.open))).toBeLessThan(0.25);
    await expect(page.locator('[data-testid="captions"] .caption-maya').last()).toHaveText(
      /Two Negronis, coming right up. They are my favourite: bitter and bright. Anything else\?$/,
    );
    await expect
      .poll(async () => (await voiceTrace(page)).map((e) => e.kind), { timeout: 15_000 })
      .toContain('playback_ended');
    await page.screenshot({ path: 'test-results/cloud-voice.png' });

    const trace = await voiceTrace(page);
    const at = (kind: string) => trace.find((e) => e.kind === kind)!.t;
    // The cloud voice started playing before the model had finished writing (the reply text came last).
    expect(at('playback_started')).toBeLessThan(at('reply'));
    // Three sentences of ~5 words at 150 ms a word (the stub's pace) played to the end, as one reply.
    expect(at('playback_ended') - at('playback_started')).toBeGreaterThan(1800);
    expect(trace.filter((e) => e.kind === 'playback_started')).toHaveLength(1);
    expect(cartesia.sttBytes()).toBeGreaterThan(0);
    expect(cartesia.ttsRequests.length).toBeGreaterThanOrEqual(3);
  } finally {
    await browser.close();
  }
});
