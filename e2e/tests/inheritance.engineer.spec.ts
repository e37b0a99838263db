import { expect, test } from '@playwright/test';
import { SCREENSHOTS, signIn } from './helpers';

// backup-and-restore (examples/controls.yaml) is tested on the databases and
// inherited by the services that depend on them, such as payments-api.
test('a component shows a control inherited from the database it depends on', async ({
  page,
}) => {
  await signIn(page);
  const row = page
    .getByRole('row')
    .filter({ hasText: 'Backups with tested restores' });
  // The inheritance takes a few catalog processing passes and a sync after
  // the database has the control: reload until the service shows it.
  await expect(async () => {
    await page.goto('/catalog/default/component/payments-api/security');
    await expect(row).toContainText('Inherited from', { timeout: 10_000 });
  }).toPass({ timeout: 150_000 });

  // The parent's status is shown, with a link to the parent.
  await expect(row).toContainText(/Passing|Failing|Overdue|Untested|Excepted/);
  const parent = row.getByRole('link', {
    name: /payments-db|Payments Database/i,
  });
  await expect(parent).toBeVisible();
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: `${SCREENSHOTS}/engineer-inherited-control.png`,
  });

  await parent.click();
  await expect(page).toHaveURL(/\/catalog\/default\/resource\/payments-db/);
});
