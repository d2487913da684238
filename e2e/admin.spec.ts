import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { ADMIN_TOKEN } from '../playwright.config.ts';

/** A guest orders a Margarita with a 20 % tip and pays it on the sandbox checkout. */
async function guestPaysATab(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveText('ready');
  await page.getByTestId('say').fill('a margarita please');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tab')).toHaveText('$11.00');
  await page.getByRole('button', { name: '20%' }).click();
  await expect(page.getByTestId('total')).toHaveText('$13.20');
  await page.getByTestId('pay').click();
  const [checkout] = await Promise.all([
    page.waitForEvent('popup'),
    page.getByTestId('checkout-link').click(),
  ]);
  await checkout.getByRole('button', { name: 'Pay $13.20' }).click();
  await expect(checkout.getByTestId('result')).toHaveText('Paid — thank you!');
  await checkout.close();
  await expect(page.getByTestId('tab')).toHaveText('$0.00');
}

test('the back office: sign in, see the paid tab, change a price, and the guest page charges it', async ({
  page,
  context,
  request,
}) => {
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const original = await (await request.get('/admin/api/menu', { headers: auth })).json();
  const before = await (await request.get('/admin/api/summary', { headers: auth })).json();
  try {
    await guestPaysATab(page);

    const office = await context.newPage();
    await office.goto('/admin');
    // A wrong token is refused; the right one is kept for the next visit.
    await office.getByLabel('Admin token').fill('not-the-token-at-all');
    await office.getByRole('button', { name: 'Sign in' }).click();
    await expect(office.getByRole('alert')).toHaveText('That token is not right.');
    await office.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await office.getByRole('button', { name: 'Sign in' }).click();

    await expect(office.getByTestId('paid-tabs')).toHaveText(String(before.paidTabs + 1));
    await expect(office.getByTestId('sales')).toHaveText(
      `$${((before.salesCents + 1100) / 100).toFixed(2)}`,
    );
    await expect(office.getByTestId('tips')).toHaveText(
      `$${((before.tipsCents + 220) / 100).toFixed(2)}`,
    );
    await expect(
      office.getByRole('region', { name: 'Live sessions' }).getByRole('cell', { name: '$13.20' }),
    ).toBeVisible();

    // A bad price is refused with the field named; nothing is saved.
    const price = office.getByLabel('Price of Cosmopolitan');
    await price.fill('-3');
    await office.getByRole('button', { name: 'Save menu' }).click();
    await expect(office.getByRole('alert')).toContainText('Cosmopolitan');
    await price.fill('13.75');
    await office.getByRole('button', { name: 'Save menu' }).click();
    await expect(office.getByRole('status')).toContainText('Saved — version');

    // The guest's next order pays the new price.
    await page.bringToFront();
    await page.getByTestId('say').fill('a cosmopolitan please');
    await page.keyboard.press('Enter');
    await expect(page.locator('.caption-maya').last()).toHaveText(/Cosmopolitan.*\$13\.75/);
    await expect(page.getByTestId('tab')).toHaveText('$13.75');

    // The office sees the new open tab; this is the README's picture.
    await office.bringToFront();
    await office.reload();
    await expect(
      office.getByRole('region', { name: 'Live sessions' }).getByRole('cell', { name: '$13.75' }),
    ).toBeVisible();
    await expect(office.getByLabel('Price of Cosmopolitan')).toHaveValue('13.75');
    await office.screenshot({ path: 'docs/admin.png' });
  } finally {
    // Other specs share this server: put the menu back as it was.
    const now = await (await request.get('/admin/api/menu', { headers: auth })).json();
    await request.put('/admin/api/menu', {
      headers: auth,
      data: { expectedVersion: now.version, menu: original.menu },
    });
  }
});

test('/admin/api answers 401 without the token', async ({ request }) => {
  expect((await request.get('/admin/api/summary')).status()).toBe(401);
  expect(
    (
      await request.get('/admin/api/summary', {
        headers: { authorization: 'Bearer wrong-token-here' },
      })
    ).status(),
  ).toBe(401);
});
