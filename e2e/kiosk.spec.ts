import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { concatPcm, speakClips, writeTempWav } from '../server/testing/speech.ts';

// Short timers so the reset is seen in seconds: idle 1.5 s, warning 1.5 s, saved-tab notice 2 s.
const KIOSK = '/?kiosk=1&e2e=1&idle=1.5&warn=1.5&notice=2';

test('kiosk: attract screen, greeting on arrival, no text box, large type', async ({ page }) => {
  await page.goto(KIOSK);
  await expect(page.getByTestId('kiosk-attract')).toBeVisible();
  await expect(page.getByTestId('say')).toHaveCount(0);
  await expect(page.getByTestId('tab')).toHaveText('$0.00');
  // A guest starts talking (what the voice layer reports; here through the test hook).
  await page.evaluate(() => (window.__mayaTest!.extra.kioskGuestStarted as () => void)());
  await expect(page.getByTestId('kiosk-attract')).toHaveCount(0);
  await expect(page.locator('.caption-maya').last()).toHaveText(/Hi, I'm Maya/);
  const fontPx = await page
    .locator('.caption-maya')
    .last()
    .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(fontPx).toBeGreaterThanOrEqual(24);
});

test('kiosk: resets after idle to a fresh session when nothing is owed', async ({ page }) => {
  await page.goto(KIOSK);
  await expect(page.getByTestId('kiosk-attract')).toBeVisible();
  // Every phase the kiosk passes through, recorded in the page: the visit lasts only 1.5 s here, and
  // on a busy machine a poll from the test can miss it.
  await page.evaluate(() => {
    const kiosk = document.querySelector('[data-testid="kiosk"]')!;
    const seen = () => {
      const warning = document.querySelector('[data-testid="kiosk-warning"]');
      return `${kiosk.getAttribute('data-kiosk-phase')}${warning ? ' (warning shown)' : ''}`;
    };
    const phases: string[] = [seen()];
    (window as unknown as { kioskPhases: string[] }).kioskPhases = phases;
    new MutationObserver(() => {
      if (seen() !== phases.at(-1)) phases.push(seen());
    }).observe(kiosk, { attributes: true, childList: true, subtree: true });
  });
  await page.mouse.click(300, 300); // a tap also starts a visit
  const phases = () =>
    page.evaluate(() => (window as unknown as { kioskPhases: string[] }).kioskPhases);
  await expect
    .poll(phases, { timeout: 8000 })
    .toEqual(['attract', 'active', 'idle-warning (warning shown)', 'attract']);
  await expect(page.getByTestId('kiosk-attract')).toBeVisible();
  await expect(page.getByTestId('captions')).toBeEmpty();
});

test('kiosk: an unpaid tab is saved under a code, said out loud, and resumable', async ({
  page,
}) => {
  await page.goto(KIOSK);
  await expect(page.getByTestId('status')).toHaveText(/^(ready|listening)$/); // connected (the kiosk listens from the start)
  const firstSession = await page.evaluate(() => window.__mayaTest!.store.getState().sessionId);
  await page.evaluate(() =>
    (window.__mayaTest!.extra.say as (t: string) => void)('a margarita please'),
  );
  await expect(page.getByTestId('tab')).toHaveText('$11.00');
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-kiosk-phase', 'active');

  // Nobody answers the warning: the tab is saved, not dropped, and the next guest gets a fresh tab.
  await expect(page.getByTestId('kiosk-warning')).toContainText('your tab will be saved', {
    timeout: 5000,
  });
  await expect(page.getByTestId('kiosk-saved')).toBeVisible({ timeout: 5000 });
  const code = (await page.getByTestId('saved-code').textContent())!;
  expect(code).toMatch(/^\d{4}$/);
  await expect(page.locator('.caption-maya').last()).toContainText(
    `saved your tab of $11.00 under code ${code.split('').join(' ')}`,
  );
  await expect(page.getByTestId('tab')).toHaveText('$0.00');
  expect(await page.evaluate(() => window.__mayaTest!.store.getState().sessionId)).not.toBe(
    firstSession,
  );
  await expect(page.getByTestId('kiosk-attract')).toBeVisible({ timeout: 5000 });

  // The guest comes back: a wrong code is refused, the right one brings the tab back.
  await page.getByTestId('resume-open').click();
  await page.getByTestId('resume-code').fill('9999' === code ? '9998' : '9999');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByRole('alert')).toHaveText('No saved tab has that code.');
  await page.getByTestId('resume-code').fill(code);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('tab')).toHaveText('$11.00');
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-kiosk-phase', 'active');
  expect(await page.evaluate(() => window.__mayaTest!.store.getState().sessionId)).toBe(
    firstSession,
  );
  await expect(page.locator('.caption-maya').last()).toContainText('Welcome back');
});

test('kiosk: "I\'d like to pay" shows a QR code and a short URL; paying on the phone resets the tab', async ({
  page,
  context,
}) => {
  await page.goto(KIOSK.replace('idle=1.5', 'idle=60'));
  await expect(page.getByTestId('status')).toHaveText(/^(ready|listening)$/); // connected (the kiosk listens from the start)
  await page.keyboard.press('Enter'); // keyboard users start a visit too
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-kiosk-phase', 'active');
  const say = (text: string) =>
    page.evaluate((t) => (window.__mayaTest!.extra.say as (t: string) => void)(t), text);
  await say('a margarita please');
  await expect(page.getByTestId('tab')).toHaveText('$11.00');
  await say("I'd like to pay");

  await expect(page.getByTestId('payment-qr')).toBeVisible();
  const box = (await page.getByTestId('payment-qr').boundingBox())!;
  expect(box.width).toBeGreaterThan(200); // scannable from a step away
  const shortUrl = (await page.getByTestId('payment-url').textContent())!;
  const sessionId = await page.evaluate(() => window.__mayaTest!.store.getState().sessionId);
  expect(shortUrl).toMatch(new RegExp(`^127\\.0\\.0\\.1:\\d+/t/${sessionId}$`));
  expect(shortUrl.length).toBeLessThanOrEqual(40);

  // The guest's phone opens the short link (typed from the screen): it leads to the checkout. Pay.
  const phone = await context.newPage();
  await phone.goto(`http://${shortUrl}`);
  await expect(phone).toHaveURL(/\/pay\/sbx_/);
  await phone.getByRole('button', { name: /^Pay/ }).click();
  await expect(page.getByTestId('tab')).toHaveText('$0.00');
  await expect(page.getByTestId('payment-qr')).toHaveCount(0);
  await expect(page.locator('.caption-maya').last()).toContainText('Thank you');
  // The link is dead once the tab is paid.
  expect((await phone.goto(`http://${shortUrl}`))!.status()).toBe(404);
});

test('kiosk: if the tab cannot be saved, it stays open rather than being dropped', async ({
  page,
}) => {
  // A kiosk whose local storage is full or switched off.
  await page.addInitScript(() => {
    const original = Storage.prototype.setItem;
    Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
      if (this === window.localStorage)
        throw new DOMException('storage is full', 'QuotaExceededError');
      original.call(this, key, value);
    };
  });
  await page.goto(KIOSK);
  await expect(page.getByTestId('status')).toHaveText(/^(ready|listening)$/); // connected (the kiosk listens from the start)
  await page.evaluate(() =>
    (window.__mayaTest!.extra.say as (t: string) => void)('a margarita please'),
  );
  await expect(page.getByTestId('tab')).toHaveText('$11.00');
  await expect(page.getByTestId('kiosk-warning')).toBeVisible({ timeout: 5000 });
  await expect(page.locator('.caption-maya').last()).toContainText('is still open', {
    timeout: 5000,
  });
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-kiosk-phase', 'active');
  await expect(page.getByTestId('tab')).toHaveText('$11.00');
});

test('kiosk: a saved tab the server has expired is said so, and a fresh tab starts', async ({
  page,
}) => {
  await page.addInitScript(() => {
    const stale = {
      code: '4242',
      sessionId: 'expired-session-1',
      resumeToken: 'expired-token-abcdefgh',
      totalCents: 900,
      savedAtMs: Date.now(),
    };
    localStorage.setItem('maya.kiosk.savedTabs', JSON.stringify([stale]));
  });
  await page.goto(KIOSK);
  await expect(page.getByTestId('status')).toHaveText(/^(ready|listening)$/); // connected (the kiosk listens from the start)
  await page.getByTestId('resume-open').click();
  await page.getByTestId('resume-code').fill('4242');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.locator('.caption-maya').last()).toContainText('that tab has expired');
  await expect(page.getByTestId('tab')).toHaveText('$0.00');
});

test('kiosk: hands-free — a guest who just starts talking is greeted and served', async ({
  baseURL,
}) => {
  const [order] = await speakClips(["I'd like a margarita please"], { leadMs: 0, tailMs: 0 });
  const wav = writeTempWav(
    'kiosk-order.wav',
    concatPcm([new Int16Array(16_000 * 2), order!.pcm, new Int16Array(16_000 * 8)]),
  );
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      ...CHROMIUM_ARGS,
      `--use-file-for-fake-audio-capture=${wav}%noloop`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${baseURL}${KIOSK.replace('idle=1.5', 'idle=60')}`);
    await expect(page.getByTestId('kiosk-attract')).toBeVisible();
    // Nobody taps anything: the attract screen is listening.
    await expect(page.getByTestId('tab')).toHaveText('$11.00', { timeout: 20_000 });
    await expect(page.getByTestId('kiosk')).toHaveAttribute('data-kiosk-phase', 'active');
    await expect(
      page.locator('.caption-guest').filter({ hasText: "i'd like a margarita please" }),
    ).toBeVisible();
    await expect(page.locator('.caption-maya').filter({ hasText: /One Margarita/ })).toBeVisible();
  } finally {
    await browser.close();
  }
});
