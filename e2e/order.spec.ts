import { expect, test } from '@playwright/test';

test('a typed order updates the tab, the balance and the captions', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveText('ready');
  await expect(page.getByTestId('balance')).toHaveText('$1,000.00');
  await expect(page.getByTestId('tab')).toHaveText('$0.00');

  await page.getByTestId('say').fill('a margarita please');
  await page.keyboard.press('Enter');

  await expect(page.locator('.caption-maya').last()).toHaveText(
    /One Margarita, that's \$11\.00 — coming right up/,
  );
  await expect(page.getByTestId('tab')).toHaveText('$11.00');
  await expect(page.getByTestId('balance')).toHaveText('$989.00');
  await expect(page.getByTestId('stage')).toHaveAttribute('data-emotion', 'mixing');

  // Tip buttons appear once there is a tab; the selected one is highlighted; tapping again removes it.
  await page.getByRole('button', { name: '20%' }).click();
  await expect(page.getByTestId('tip')).toHaveText('$2.20');
  await expect(page.getByTestId('total')).toHaveText('$13.20');
  await expect(page.getByRole('button', { name: '20%' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: '20%' }).click();
  await expect(page.getByTestId('tip')).toHaveText('$0.00');

  await page.screenshot({ path: 'test-results/order.png' });
});

test('the overlay counts up instead of jumping', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveText('ready');
  await page.getByTestId('say').fill('twenty martinis');
  await page.keyboard.press('Enter');
  const tab = page.getByTestId('tab');
  await expect(tab).toHaveAttribute('data-cents', '26000');
  // Sample the displayed value during the 500 ms animation: some value strictly between start and end.
  const seen = new Set<string>();
  for (let i = 0; i < 30; i++) {
    seen.add((await tab.textContent()) ?? '');
    await page.waitForTimeout(15);
  }
  await expect(tab).toHaveText('$260.00');
  const between = [...seen].filter((t) => t !== '$0.00' && t !== '$260.00');
  expect(between.length).toBeGreaterThan(0);
});

test('the session survives a reload (resume token)', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveText('ready');
  await page.getByTestId('say').fill('two beers');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tab')).toHaveText('$10.00');
  await page.reload();
  await expect(page.getByTestId('status')).toHaveText('ready');
  await expect(page.getByTestId('tab')).toHaveText('$10.00');
});
