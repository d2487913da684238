/**
 * `npm run bench:avatar`: frame time of the 3D avatar in headless Chromium (SwiftShader, no GPU),
 * for the adaptive default and a pinned pixel ratio of 1, at a laptop and a kiosk viewport.
 * Needs a built client (`npm run build`) and Debian's Chromium. Prints one line per case.
 */
import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { loadConfig } from '../server/config.ts';
import { startApp } from '../server/app.ts';
import { CHROMIUM_ARGS } from '../playwright.config.ts';

const benchDefaults = { warmupMs: 4000, measureMs: 5000 } as const;
const cases = [
  { name: 'laptop 1280×800, adaptive', viewport: { width: 1280, height: 800 }, query: '' },
  {
    name: 'laptop 1280×800, pixel ratio 1',
    viewport: { width: 1280, height: 800 },
    query: '?avatarScale=1',
  },
  { name: 'kiosk 1920×1080, adaptive', viewport: { width: 1920, height: 1080 }, query: '?kiosk=1' },
];

const app = await startApp(loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'silent' }));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});
try {
  for (const c of cases) {
    const page = await browser.newPage({ viewport: c.viewport });
    await page.goto(`${app.url}/${c.query}`);
    await page.waitForFunction(() => (window.__mayaAvatar?.stats().frames ?? 0) > 5, undefined, {
      timeout: 30_000,
    });
    await page.waitForTimeout(benchDefaults.warmupMs);
    await page.evaluate(() => window.__mayaAvatar!.resetStats());
    await page.waitForTimeout(benchDefaults.measureMs);
    const s = await page.evaluate(() => ({
      ...window.__mayaAvatar!.stats(),
      pixelRatio: window.__mayaAvatar!.pixelRatio(),
    }));
    console.log(
      `${c.name.padEnd(34)} ${s.fps.toFixed(1).padStart(5)} fps  frame mean ${s.meanFrameMs.toFixed(1)} ms, median ${s.medianFrameMs.toFixed(1)} ms, p95 ${s.p95FrameMs.toFixed(1)} ms  update+render (CPU) ${s.meanWorkMs.toFixed(2)} ms  pixel ratio ${s.pixelRatio.toFixed(2)}`,
    );
    await page.close();
  }
  console.log(
    `load average during the run: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${(await import('node:os')).cpus().length} cores`,
  );
} finally {
  await browser.close();
  await app.close();
}
