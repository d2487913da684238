import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { pixelDiffShare, pixelStats } from './pixels.ts';

/** Wait until the avatar loop has drawn a few frames; return the head's box on screen. */
async function avatarReady(page: Page) {
  await expect(page.getByTestId('status')).toHaveText('ready');
  await expect
    .poll(() => page.evaluate(() => window.__mayaAvatar?.stats().frames ?? 0), { timeout: 20_000 })
    .toBeGreaterThan(5);
  const face = await page.evaluate(() => window.__mayaAvatar!.faceRect());
  return {
    x: Math.round(face.x),
    y: Math.round(face.y),
    width: Math.round(face.width),
    height: Math.round(face.height),
  };
}

/** Let a few more frames render (the loop is async to the test). */
async function frames(page: Page, n = 6) {
  const start = await page.evaluate(() => window.__mayaAvatar!.stats().frames);
  await expect
    .poll(() => page.evaluate(() => window.__mayaAvatar!.stats().frames))
    .toBeGreaterThanOrEqual(start + n);
}

test('the 3D avatar renders real pixels in headless Chromium (SwiftShader)', async ({ page }) => {
  await page.goto('/?avatarScale=1');
  const face = await avatarReady(page);
  const shot = await page.getByTestId('avatar-canvas').screenshot();
  const stats = await pixelStats(page, shot);
  expect(stats.distinctColours).toBeGreaterThan(500);
  expect(stats.nonBackgroundShare).toBeGreaterThan(0.3);
  // Maya herself is on the front canvas (the back bar is on its own): hide it and her face is gone.
  const withMaya = await page.screenshot({ clip: face });
  await page.getByTestId('avatar-canvas').evaluate((c) => (c.style.visibility = 'hidden'));
  const withoutMaya = await page.screenshot({ clip: face });
  expect(await pixelDiffShare(page, withMaya, withoutMaya)).toBeGreaterThan(0.5);
  await page.getByTestId('avatar-canvas').evaluate((c) => (c.style.visibility = ''));

  await page.evaluate(() => window.__mayaAvatar!.resetStats());
  await page.waitForTimeout(2000);
  const timing = await page.evaluate(() => ({
    ...window.__mayaAvatar!.stats(),
    pixelRatio: window.__mayaAvatar!.pixelRatio(),
  }));
  console.log(
    `avatar frame time (headless Chromium, SwiftShader, pinned pixel ratio 1): ${JSON.stringify(timing)}`,
  );
  expect(timing.frames).toBeGreaterThan(3); // the loop keeps drawing (the figure itself is for the report)
});

test.describe('with reduced motion (a still face, so pixels compare)', () => {
  test.use({ reducedMotion: 'reduce' });

  test('an emotion change changes the rendered face', async ({ page }) => {
    await page.goto('/?avatarScale=1');
    const face = await avatarReady(page);
    await frames(page);
    const neutral = await page.screenshot({ clip: face });
    await frames(page);
    const neutralAgain = await page.screenshot({ clip: face });
    // Reduced motion: no blinks, glances or sway, so the same emotion draws the same face.
    const still = await pixelDiffShare(page, neutral, neutralAgain);
    expect(still).toBeLessThan(0.005);

    await page.getByTestId('say').fill('a margarita please');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('stage')).toHaveAttribute('data-emotion', 'mixing');
    await expect(page.locator('.thinking-dots')).toHaveCount(0);
    await page.waitForTimeout(600);
    await frames(page);
    const mixing = await page.screenshot({ clip: face });
    const changed = await pixelDiffShare(page, neutral, mixing);
    console.log(
      `face pixels changed: same emotion ${(still * 100).toFixed(2)} %, neutral → mixing ${(changed * 100).toFixed(1)} %`,
    );
    expect(changed).toBeGreaterThan(0.03);
  });

  test('the mouth follows the voice layer and closes on barge-in', async ({ page }) => {
    await page.goto('/?avatarScale=1&e2e=1');
    const face = await avatarReady(page);
    // Just the lower face, where the mouth is.
    const mouth = {
      x: face.x + face.width * 0.3,
      y: face.y + face.height * 0.62,
      width: face.width * 0.4,
      height: face.height * 0.25,
    };
    await frames(page);
    const closed = await page.screenshot({ clip: mouth });

    await page.evaluate(() => {
      window.__mayaTest!.setMouth({ open: 1, viseme: 'aa' });
      window.__mayaTest!.speech.getState().setSpeaking(true);
    });
    await page.waitForTimeout(300);
    await frames(page);
    const open = await page.screenshot({ clip: mouth });
    const opened = await pixelDiffShare(page, closed, open);
    expect(opened).toBeGreaterThan(0.05);

    // Barge-in: the audio layer stops speaking; the mouth closes even though the source still says open.
    await page.evaluate(() => window.__mayaTest!.speech.getState().setSpeaking(false));
    await page.waitForTimeout(300);
    await frames(page);
    const afterBargeIn = await page.screenshot({ clip: mouth });
    const reclosed = await pixelDiffShare(page, closed, afterBargeIn);
    console.log(
      `mouth pixels changed: open ${(opened * 100).toFixed(1)} %, after barge-in ${(reclosed * 100).toFixed(2)} %`,
    );
    expect(reclosed).toBeLessThan(0.01);
  });
});
