/** Money is integer cents everywhere; these helpers are the only place it becomes text. */

export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  const dollars = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}$${dollars}.${String(abs % 100).padStart(2, '0')}`;
}

/** percent of cents, rounded half-up to a whole cent (integer maths, no float drift). */
export function percentOf(cents: number, percent: number): number {
  return Math.floor((cents * percent + 50) / 100);
}

/** A double costs 1.5×, rounded half-up to a cent. */
export function doublePriceCents(unitCents: number): number {
  return Math.floor((unitCents * 3 + 1) / 2);
}

export function isCents(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n);
}
