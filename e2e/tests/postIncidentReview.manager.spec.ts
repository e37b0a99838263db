import { expect, test } from '@playwright/test';
import { guestToken, SCREENSHOTS, signIn } from './helpers';

// Runs in the manager phase (the file name matches its project): the guest
// is nadia.okafor of group:default/security-team, who may update incidents.

test('a post-incident review feeds back: a retest of the failed control and an overdue action on the Security tab and the schedule', async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const token = await guestToken(request);
  const title = `Admin console reached without MFA ${Date.now()}`;
  const created = await request.post('/api/security-management/incidents', {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      title,
      severity: 'high',
      affectedEntities: ['component:default/payments-api'],
    },
  });
  expect(created.status()).toBe(201);

  await signIn(page);
  await page.goto('/catalog/default/component/payments-api/security');
  const row = page.getByRole('row').filter({ hasText: title });
  await row.getByRole('button', { name: 'Post-incident review' }).click();
  const dialog = page.getByRole('dialog');
  await dialog
    .getByLabel(/Root cause/)
    .fill('The admin console accepted passwords alone');
  await dialog.getByLabel(/Lessons learned/).fill('Enforce MFA at the proxy');
  await dialog.getByLabel(/Controls that failed/).fill('mfa-admin-access');
  await dialog.getByRole('button', { name: 'Add action' }).click();
  const action = `Put the admin console behind SSO ${Date.now()}`;
  await dialog.getByLabel(/Action 1/).fill(action);
  await dialog.getByLabel(/Owner/).fill('payments-team');
  const yesterday = new Date(Date.now() - 86_400_000)
    .toISOString()
    .slice(0, 10);
  await dialog.getByLabel(/Due/).fill(yesterday);
  await dialog.getByRole('button', { name: 'Save review' }).click();
  await expect(dialog).toHaveCount(0);

  // The Security tab: the control needs a retest, the action is overdue.
  const followUp = page
    .locator('.MuiCard-root')
    .filter({ hasText: 'Incident follow-up' })
    .first();
  await expect(
    followUp.getByText(`after: ${title}`, { exact: false }),
  ).toBeVisible();
  const actionRow = followUp.getByRole('row').filter({ hasText: action });
  await expect(actionRow.getByText('Overdue · Open')).toBeVisible();
  await expect(page.getByText('Retest required').first()).toBeVisible();
  await followUp.scrollIntoViewIfNeeded();
  await followUp.screenshot({
    path: `${SCREENSHOTS}/incident-follow-up.png`,
  });

  // The testing schedule lists the action among those due.
  await page.goto('/security-management');
  await page.getByRole('tab', { name: 'Testing schedule' }).click();
  const due = page.getByRole('row').filter({ hasText: action });
  await expect(due).toBeVisible();
  await due.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: `${SCREENSHOTS}/schedule-remediation-actions.png`,
    fullPage: true,
  });
});
