/**
 * Pixel statistics of PNG screenshots, decoded in the page itself (no image library needed). The PNG
 * goes in as bytes, not fetched from a data: URL: the page's CSP allows connections to itself only.
 */
import type { Page } from '@playwright/test';

export interface PixelStats {
  pixels: number;
  distinctColours: number;
  /** Share of pixels that differ from the most common colour (a blank canvas scores ~0). */
  nonBackgroundShare: number;
}

export async function pixelStats(page: Page, png: Buffer): Promise<PixelStats> {
  return page.evaluate(async (b64) => {
    const bitmap = await createImageBitmap(
      new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }),
    );
    const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const counts = new Map<number, number>();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const pixels = data.length / 4;
    const top = Math.max(...counts.values());
    return { pixels, distinctColours: counts.size, nonBackgroundShare: 1 - top / pixels };
  }, png.toString('base64'));
}

/** Share of pixels whose colour differs by more than `threshold` (0..255 per channel, max of channels). */
export async function pixelDiffShare(
  page: Page,
  a: Buffer,
  b: Buffer,
  threshold = 24,
): Promise<number> {
  return page.evaluate(
    async ([a64, b64, t]) => {
      const decode = async (s: string) => {
        const bitmap = await createImageBitmap(
          new Blob([Uint8Array.from(atob(s), (c) => c.charCodeAt(0))], { type: 'image/png' }),
        );
        const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        return ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      };
      const [x, y] = [await decode(a64), await decode(b64)];
      if (x.length !== y.length) return 1;
      let differ = 0;
      for (let i = 0; i < x.length; i += 4) {
        const d = Math.max(
          Math.abs(x[i]! - y[i]!),
          Math.abs(x[i + 1]! - y[i + 1]!),
          Math.abs(x[i + 2]! - y[i + 2]!),
        );
        if (d > t) differ++;
      }
      return differ / (x.length / 4);
    },
    [a.toString('base64'), b.toString('base64'), threshold] as const,
  );
}
