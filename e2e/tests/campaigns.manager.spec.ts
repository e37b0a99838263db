import { expect, test } from '@playwright/test';
import { SCREENSHOTS, signIn } from './helpers';

// Runs in the manager phase (the file name matches its project): the guest
// is nadia.okafor of group:default/security-team. The demo history has
// passes, failures and overdue tests of "Encrypt data in transit" on the
// example organisation's production services.

/** A date input's value this many days from today. */
function inDays(days: number): string {
  return new Date(Date.now() + days * 24 * 3600_000).toISOString().slice(0, 10);
}

test('a security manager starts a campaign and sees its progress overall, per owner and on a service', async ({
  page,
}) => {
  const name = `Encrypt in transit everywhere (${Date.now()})`;
  await signIn(page);
  await page.goto('/security-management/campaigns');
  await page.getByRole('button', { name: 'Start campaign' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill(name);
  await dialog
    .getByLabel('Goal')
    .fill('Every production service proves TLS 1.2 or newer this month.');
  await dialog.getByLabel(/^Encrypt data in transit \(\d+\)$/).check();
  await dialog.getByLabel('Kind').fill('component');
  await dialog.getByLabel('Lifecycle').fill('production');
  await dialog.getByLabel('Deadline').fill(inDays(30));
  await dialog.getByRole('button', { name: 'Start campaign' }).click();
  await expect(page.getByText('Campaign started')).toBeVisible();

  // Overall progress from the recorded tests: some done, some not.
  const bar = page.getByRole('progressbar', {
    name: new RegExp(`^${name.replace(/[()]/g, '\\$&')}: \\d+% done$`),
  });
  await expect(bar).toBeVisible();
  const summary = page.getByText(/^\d+ of \d+ done \(\d+%\)/).first();
  const [, done, items] = /^(\d+) of (\d+) done/.exec(
    await summary.innerText(),
  )!;
  expect(Number(items)).toBeGreaterThan(0);
  expect(Number(done)).toBeGreaterThan(0);
  expect(Number(done)).toBeLessThan(Number(items));

  // Per owner, on opening it.
  await page.getByText(name, { exact: true }).click();
  await expect(page.getByText('Progress by owner')).toBeVisible();
  await expect(
    page
      .getByRole('progressbar', {
        name: new RegExp(` in ${name.replace(/[()]/g, '\\$&')}: \\d+% done$`),
      })
      .first(),
  ).toBeVisible();
  // The screenshot once the accordion has finished opening.
  await expect(
    page
      .locator('.MuiAccordion-root', { hasText: name })
      .locator('.MuiCollapse-entered'),
  ).toHaveCount(1);
  await page.screenshot({
    path: `${SCREENSHOTS}/campaign-progress.png`,
    fullPage: true,
  });

  // On a service in scope, its item and whether it is done.
  await page.goto('/catalog/default/component/payments-api/security');
  const onService = page.getByRole('list', { name: `Items of ${name}` });
  await expect(onService).toBeVisible();
  await expect(onService).toContainText('Encrypt data in transit');
  await onService.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/campaign-on-service.png` });

  // Closed, it is archived with its result and leaves the service's page.
  await page.goto('/security-management/campaigns');
  await page.getByText(name, { exact: true }).click();
  await page.getByRole('button', { name: `Close ${name}` }).click();
  await expect(page.getByText(`Campaign closed: ${name}`)).toBeVisible();
  await page.getByRole('button', { name: 'Archived' }).click();
  await expect(page.getByText(name, { exact: true })).toBeVisible();
  await expect(page.getByText('Closed early').first()).toBeVisible();
});
