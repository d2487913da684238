/**
 * The voice loop in Debian's Chromium with a fake microphone playing a WAV made at test time by a
 * Flite voice that is not Maya's: mic → AudioWorklet → websocket → STT → tab → TTS → playback.
 * Each test launches its own browser, because the fake-audio file is a launch flag.
 */
import { chromium, expect, test } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import {
  concatPcm,
  speakClips,
  TEST_SAMPLE_RATE_HZ,
  writeTempWav,
} from '../server/testing/speech.ts';

const silence = (ms: number) => new Int16Array((ms * TEST_SAMPLE_RATE_HZ) / 1000);

async function launchWithMic(wavPath: string): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${wavPath}%noloop`],
  });
}

interface TraceEntry {
  kind: string;
  t: number;
  replyId?: number;
  text?: string;
  reason?: string;
}
const voiceTrace = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { __mayaVoiceTrace?: TraceEntry[] }).__mayaVoiceTrace ?? [],
  );

test('speaking an order: the tab updates, Maya answers out loud, captions show both sides', async ({
  baseURL,
}) => {
  const [order] = await speakClips(["I'd like a margarita please"], { leadMs: 0, tailMs: 0 });
  const wav = writeTempWav('order.wav', concatPcm([silence(800), order!.pcm, silence(8000)]));
  const browser = await launchWithMic(wav);
  try {
    const page = await browser.newPage();
    await page.goto(baseURL!);
    await expect(page.getByTestId('status')).toHaveText('ready');
    await page.getByTestId('mic-start').click();
    await expect(page.getByTestId('mic-state')).toHaveAttribute('data-state', 'listening');

    // Live partial caption, then the guest's final words and Maya's answer in the captions.
    await expect(page.getByTestId('guest-partial')).toBeVisible({ timeout: 10_000 });
    // The caption is what the recogniser heard. Audio through Chromium's capture (echo cancellation,
    // gain, frame timing) differs a little from run to run, and the statistical recogniser once in
    // five runs heard "you like a margarita please", and once "i'd like an margarita please": the
    // drink and the tab are what this loop must get right (word accuracy is bench:ears's to
    // measure), so the caption is checked for the order.
    await expect(
      page.locator('.caption-guest').filter({ hasText: /\bmargarita please$/ }),
    ).toBeVisible({ timeout: 10_000 });
    await expect(page.getByTestId('tab')).toHaveText('$11.00');
    await expect(page.locator('[data-testid="captions"] .caption-maya').last()).toHaveText(
      /One Margarita, that's \$11\.00/,
    );
    // Maya's sentence is captioned while it plays, and the audio really plays to its end.
    await expect(page.getByTestId('maya-speaking')).toContainText('eleven dollars', {
      timeout: 10_000,
    });
    await expect
      .poll(async () => (await voiceTrace(page)).map((e) => e.kind), { timeout: 15_000 })
      .toContain('playback_ended');
    const trace = await voiceTrace(page);
    const started = trace.find((e) => e.kind === 'playback_started');
    const ended = trace.find((e) => e.kind === 'playback_ended');
    expect(started && ended && ended.t - started.t).toBeGreaterThan(1500); // the whole sentence played, not a blip
    await expect(page.getByTestId('maya-speaking')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/voice.png' });
  } finally {
    await browser.close();
  }
});

test('barge-in: the guest speaking while Maya talks stops her and cancels the rest of her reply', async ({
  baseURL,
}) => {
  // The reply to "what do you recommend" is two sentences (~5 s); the guest cuts in ~1.5 s into it.
  const [ask, order] = await speakClips(['what do you recommend', 'two beers please'], {
    leadMs: 0,
    tailMs: 0,
  });
  const wav = writeTempWav(
    'barge-in.wav',
    concatPcm([silence(800), ask!.pcm, silence(2300), order!.pcm, silence(9000)]),
  );
  const browser = await launchWithMic(wav);
  try {
    const page = await browser.newPage();
    await page.goto(baseURL!);
    await expect(page.getByTestId('status')).toHaveText('ready');
    await page.getByTestId('mic-start').click();

    await expect
      .poll(async () => (await voiceTrace(page)).map((e) => e.kind), { timeout: 15_000 })
      .toContain('interrupted');
    await expect(page.getByTestId('tab')).toHaveText('$10.00', { timeout: 15_000 });
    const trace = await voiceTrace(page);
    const firstReply = trace.find((e) => e.kind === 'playback_started')!.replyId;
    const interrupted = trace.find((e) => e.kind === 'interrupted')!;
    expect(interrupted).toMatchObject({ replyId: firstReply, reason: 'barge_in' });
    // It stopped while the guest was still speaking: before the second utterance's transcript.
    const secondFinal = trace.filter((e) => e.kind === 'transcript_final')[1]!;
    expect(interrupted.t).toBeLessThan(secondFinal.t);
    // The interrupted reply never played to its end; the answer to the order did start playing.
    expect(trace.some((e) => e.kind === 'playback_ended' && e.replyId === firstReply)).toBe(false);
    await expect
      .poll(
        async () =>
          (await voiceTrace(page)).filter(
            (e) => e.kind === 'playback_started' && e.replyId !== firstReply,
          ).length,
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
  } finally {
    await browser.close();
  }
});

test('without microphone permission or without a microphone, the page says so and typing still works', async ({
  baseURL,
}) => {
  const cases = [
    // No fake-UI flag: headless Chromium refuses the permission request.
    {
      state: 'denied',
      args: CHROMIUM_ARGS.filter((a) => a !== '--use-fake-ui-for-media-stream'),
      text: /permission denied/i,
    },
    // No fake device (and none on this machine): there is nothing to capture from.
    {
      state: 'no-device',
      args: CHROMIUM_ARGS.filter((a) => a !== '--use-fake-device-for-media-stream'),
      text: /no microphone/i,
    },
  ];
  for (const c of cases) {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: c.args,
    });
    try {
      const page = await browser.newPage();
      await page.goto(baseURL!);
      await expect(page.getByTestId('status')).toHaveText('ready');
      await page.getByTestId('mic-start').click();
      await expect(page.getByTestId('mic-state')).toHaveAttribute('data-state', c.state);
      await expect(page.getByTestId('mic-state')).toHaveText(c.text);
      await page.getByTestId('say').fill('a beer please');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('tab')).toHaveText('$5.00');
    } finally {
      await browser.close();
    }
  }
});

/**
 * 2.5 s quiet, "a margarita please", 4 s quiet, "two beers please", then quiet. The fake microphone
 * plays it from the moment the page opens the mic, so the test must not guess where the file is:
 * it waits for the page to have heard the first order end (the voice layer's level observer sees
 * every captured frame, sent or not) before it lets the second one through.
 */
async function twoOrdersWav(name: string): Promise<string> {
  const [first, second] = await speakClips(['a margarita please', 'two beers please'], {
    leadMs: 0,
    tailMs: 0,
  });
  return writeTempWav(
    name,
    concatPcm([silence(2500), first!.pcm, silence(4000), second!.pcm, silence(8000)]),
  );
}

/** The first order has been played into the microphone, whether or not it was sent. */
async function firstOrderPlayed(page: Page) {
  await expect
    .poll(async () => (await voiceTrace(page)).filter((e) => e.kind === 'mic_speech_end').length, {
      timeout: 15_000,
    })
    .toBeGreaterThanOrEqual(1);
}

test('mute: nothing said while muted reaches Maya; after unmuting she hears again', async ({
  baseURL,
}) => {
  const browser = await launchWithMic(await twoOrdersWav('mute.wav'));
  try {
    const page = await browser.newPage();
    await page.goto(baseURL!);
    await expect(page.getByTestId('status')).toHaveText('ready');
    await page.getByTestId('mic-start').click();
    await page.getByTestId('mic-mute').click();
    await expect(page.getByTestId('mic-mute')).toHaveAttribute('aria-pressed', 'true');
    expect((await voiceTrace(page)).filter((e) => e.kind === 'mic_speech_end')).toEqual([]); // muted before the first order
    await firstOrderPlayed(page); // the first order is spoken while muted
    await expect(page.locator('.caption-guest')).toHaveCount(0);
    await expect(page.getByTestId('tab')).toHaveText('$0.00');
    await page.getByTestId('mic-mute').click();
    await expect(page.getByTestId('tab')).toHaveText('$10.00', { timeout: 15_000 }); // only the second
    await expect(page.locator('.caption-guest')).toHaveCount(1);
  } finally {
    await browser.close();
  }
});

test('push-to-talk: speech is heard only while Space is held', async ({ baseURL }) => {
  const browser = await launchWithMic(await twoOrdersWav('ptt.wav'));
  try {
    const page = await browser.newPage();
    await page.goto(baseURL!);
    await expect(page.getByTestId('status')).toHaveText('ready');
    await page.getByTestId('mic-start').click();
    await page.getByTestId('mic-mode').click();
    await expect(page.getByTestId('mic-mode')).toHaveText('Hold Space to talk');
    await page.locator('body').click({ position: { x: 5, y: 5 } }); // focus off the buttons: Space is push-to-talk
    await firstOrderPlayed(page); // the first order is spoken without Space held
    await expect(page.locator('.caption-guest')).toHaveCount(0);
    await page.keyboard.down('Space');
    await expect(page.getByTestId('mic-mode')).toHaveText('Listening (Space held)');
    await expect(page.getByTestId('tab')).toHaveText('$10.00', { timeout: 15_000 });
    await page.keyboard.up('Space');
    await expect(page.getByTestId('tab')).toHaveText('$10.00');
    await expect(page.locator('.caption-guest')).toHaveCount(1);
  } finally {
    await browser.close();
  }
});
