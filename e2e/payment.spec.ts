import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

/** Maya's payment lines as the phrasebook words them (first variant; the overlay's lines have one). */
const book = JSON.parse(
  readFileSync(new URL('../server/conversation/data/phrasebook.json', import.meta.url), 'utf8'),
) as { phrases: Record<string, string[]> };
const said = (key: string, vars: Record<string, string> = {}) =>
  new RegExp(
    book.phrases[key]![0]!.replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '').replace(
      /[.*+?^${}()|[\]\\]/g,
      '\\$&',
    ),
  );

test('order by text, say "I\'d like to pay", pay on the sandbox checkout, see the tab reset and Maya\'s thanks', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveText('ready');
  await page.getByTestId('say').fill('two margaritas please');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tab')).toHaveText('$22.00');
  await page.getByRole('button', { name: '20%' }).click();
  await expect(page.getByTestId('total')).toHaveText('$26.40');

  await page.getByTestId('say').fill("I'd like to pay");
  await page.keyboard.press('Enter');
  await expect(page.locator('.caption-maya').last()).toHaveText(
    said('pay_opened', { total: '$26.40' }),
  );
  await expect(page.getByTestId('stage')).toHaveAttribute('data-emotion', 'thinking');
  const link = page.getByTestId('checkout-link');
  await expect(link).toHaveAttribute('href', /\/pay\/sbx_/);
  await page.screenshot({ path: 'test-results/payment-open.png' });

  // The guest's phone: the checkout page lists the drinks and the total.
  const [checkout] = await Promise.all([page.waitForEvent('popup'), link.click()]);
  await expect(checkout.getByTestId('checkout-total')).toHaveText('$26.40');
  await expect(checkout.getByText('2 × Margarita')).toBeVisible();
  await checkout.screenshot({ path: 'test-results/sandbox-checkout.png' });
  await checkout.getByRole('button', { name: 'Pay $26.40' }).click();
  await expect(checkout.getByTestId('result')).toHaveText('Paid — thank you!');

  // Back at the bar: Maya thanks the guest (happy), the tab resets, a new tab opens.
  await expect(page.locator('.caption-maya').last()).toHaveText(
    said('pay_paid', { paid: '$26.40' }),
  );
  await expect(page.getByTestId('stage')).toHaveAttribute('data-emotion', 'happy');
  await expect(page.getByTestId('tab')).toHaveText('$0.00');
  await expect(page.getByTestId('balance')).toHaveText('$978.00');
  await expect(page.getByTestId('pay')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/payment.png' });

  // The next round goes on the new tab.
  await page.getByTestId('say').fill('a beer');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tab')).toHaveText('$5.00');
});

test('tap Pay, decline on the checkout page: Maya says so and the guest can try again', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveText('ready');
  await page.getByTestId('say').fill('a negroni');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tab')).toHaveText('$11.00');

  await page.getByTestId('pay').click();
  await expect(page.locator('.caption-maya').last()).toHaveText(
    said('pay_opened', { total: '$11.00' }),
  );
  const [checkout] = await Promise.all([
    page.waitForEvent('popup'),
    page.getByTestId('checkout-link').click(),
  ]);
  await checkout.getByRole('button', { name: 'Decline' }).click();
  await expect(checkout.getByTestId('result')).toHaveText('Payment declined');

  await expect(page.locator('.caption-maya').last()).toHaveText(said('pay_declined'));
  await expect(page.getByTestId('tab')).toHaveText('$11.00');
  await page.getByTestId('pay').click();
  await expect(page.getByTestId('checkout-link')).toHaveAttribute('href', /\/pay\/sbx_/);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('.caption-maya').last()).toHaveText(said('pay_cancelled'));
  await expect(page.getByTestId('pay')).toBeVisible();
});
