import { expect, test } from '@playwright/test';
import { countOf, SCREENSHOTS, signIn } from './helpers';

// The guest sign-in is configured as nadia.okafor of group:default/security-team.

test('a security manager records a failing test and sees the posture card change', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/payments-api/security');

  // Pick a control that passes now, so the change is visible in the counts.
  const passingRow = page
    .getByRole('row')
    .filter({ hasText: 'Passing' })
    .first();
  await expect(passingRow).toBeVisible();
  const controlTitle = (
    await passingRow
      .getByRole('cell')
      .first()
      .getByRole('link')
      .first()
      .innerText()
  ).trim();

  await page.goto('/catalog/default/component/payments-api');
  const card = page
    .locator('.MuiCard-root', { hasText: 'Security posture' })
    .first();
  await expect(card).toContainText(/Score \d+\/100/);
  const failingBefore = await countOf(card, 'Failing');
  const passingBefore = await countOf(card, 'Passing');

  await page.goto('/catalog/default/component/payments-api/security');
  await page.getByRole('button', { name: 'Record test' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Control').selectOption({ label: controlTitle });
  await dialog.getByLabel('Result').selectOption({ label: 'Fail' });
  await dialog.getByLabel('Evidence URL').fill('not a url');
  await dialog.getByRole('button', { name: 'Record test' }).click();
  await expect(dialog).toContainText(/valid|URL/i);
  await dialog
    .getByLabel('Evidence URL')
    .fill('https://ci.acme-payments.example/e2e/tls-scan/1');
  await dialog.getByRole('button', { name: 'Record test' }).click();
  await expect(page.getByText('Test recorded')).toBeVisible();

  await page.goto('/catalog/default/component/payments-api');
  await expect.poll(() => countOf(card, 'Failing')).toBe(failingBefore + 1);
  expect(await countOf(card, 'Passing')).toBe(passingBefore - 1);
});

test('the security page shows the organisation and the incident register', async ({
  page,
}) => {
  await signIn(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Security' })
    .click();
  await expect(page).toHaveURL(/\/security-management/);
  await expect(page.getByText('Roll-up')).toBeVisible();
  await expect(
    page
      .getByText('Payments Team')
      .or(page.getByText('group:default/payments-team'))
      .first(),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/security-page.png`,
    fullPage: true,
  });

  await page.getByRole('tab', { name: 'Incidents' }).click();
  await expect(
    page.getByText('Card numbers written to debug logs'),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/incident-register.png`,
    fullPage: true,
  });
});

test('the security team sees every control that is not in effect, with its reason and source', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/security-management/controls');
  const panel = page.getByRole('alert').filter({ hasText: 'not in effect' });
  await expect(panel).toContainText(/\d+ controls? not in effect/);
  const list = panel.getByRole('list', { name: 'Controls not in effect' });
  // The schema error, the YAML syntax error and the duplicate name.
  await expect(list).toContainText('broken-example-control');
  await expect(list).toContainText('broken-yaml.yaml');
  await expect(list).toContainText('controls-not-in-effect.yaml');
  await page.screenshot({
    path: `${SCREENSHOTS}/controls-not-in-effect.png`,
    fullPage: true,
  });
});
