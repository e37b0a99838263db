import { expect, test } from '@playwright/test';
import { SCREENSHOTS, signIn } from './helpers';

// Runs in the engineer phase (the file name matches its project): the guest
// is aisha.rahman of group:default/identity-team, which owns services with
// overdue tests in the demo history. The backend sends the day's digest four
// minutes after it starts (securityManagement.notifications in
// app-config.yaml), after the demo seeder has posted the history.

test('an owner finds the daily digest of overdue tests on the notifications page', async ({
  page,
}) => {
  test.setTimeout(360_000);
  await signIn(page);

  const digest = page
    .getByRole('row')
    .filter({ hasText: /Security for identity-team: \d+ overdue tests?/ })
    .first();
  await expect(async () => {
    await page.goto('/notifications');
    await expect(digest).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 300_000, intervals: [10_000] });
  await expect(digest).toContainText(/Tests overdue: \d+ controls? on /);
  await page.screenshot({
    path: `${SCREENSHOTS}/notifications-digest.png`,
    fullPage: true,
  });

  // It leads to the testing schedule.
  await digest.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/security-management\/schedule/);
});

test('an owner mutes a Security Management topic in the notification settings', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/settings/notifications');
  const origin = page
    .getByRole('row')
    .filter({ hasText: 'Security Management' })
    .first();
  await origin.getByRole('button', { name: 'expand row' }).click();
  const topic = page
    .getByRole('row')
    .filter({ hasText: 'Security daily digest' });
  await expect(
    page.getByRole('row').filter({ hasText: 'Security incidents' }),
  ).toBeVisible();
  const web = topic.getByRole('switch').first();
  await expect(web).toBeChecked();
  await web.click({ force: true });
  await expect(web).not.toBeChecked();
  await page.screenshot({
    path: `${SCREENSHOTS}/notification-settings.png`,
    fullPage: true,
  });

  // Saved for the user: still muted after a reload. Unmuted again after.
  await page.reload();
  await origin.getByRole('button', { name: 'expand row' }).click();
  await expect(web).not.toBeChecked();
  await web.click({ force: true });
  await expect(web).toBeChecked();
});
