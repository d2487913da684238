import { expect, test } from '@playwright/test';

// The e2e server has no stub behind it, so a key cannot be valid here: it is refused as invalid
// (if Google is reachable) or network (offline). Either way the page never shows it again.
test('the key dialog sends a key, shows its status and message, and never shows the key again', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveText('ready');
  await page.getByTestId('keys-open').click();
  const dialog = page.getByTestId('keys-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();

  await page.getByTestId('key-gemini').fill('has a space');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toContainText('does not look like a key');

  await page.getByTestId('key-gemini').fill('AIzaE2eNotARealKey123');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('key-status-gemini')).toHaveAttribute(
    'data-status',
    /^invalid:(invalid|network|other)$/,
    { timeout: 20_000 },
  );
  await expect(page.getByTestId('key-message-gemini')).not.toBeEmpty();
  await expect(page.getByTestId('key-status-cartesia')).toHaveAttribute('data-status', 'missing');
  await expect(page.getByTestId('key-gemini')).toHaveValue('');
  expect(await page.content()).not.toContain('AIzaE2eNotARealKey123');
  await page.screenshot({ path: 'test-results/keys.png' });

  // The bartender still serves with the built-in brain.
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('say').fill('a margarita please');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tab')).toHaveText('$11.00');
});
