import { expect, test } from '@playwright/test';
import { countOf, SCREENSHOTS, signIn } from './helpers';

// The guest sign-in is configured as nadia.okafor of group:default/security-team.

test('a security manager records a failing test and sees the posture card change', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/payments-api/security');

  // Pick a control that passes now, so the change is visible in the counts
  // (one of its own: an inherited control is tested on its parent).
  const passingRow = page
    .getByRole('row')
    .filter({ hasText: 'Passing' })
    .filter({ hasNotText: 'Inherited from' })
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

test('a security manager raises an alert for a service and its page shows the banner with the precautions', async ({
  page,
}) => {
  const title = `Credential stuffing against customer logins (${Date.now()})`;
  const precautions =
    'Watch the failed-login rate of /login and rotate any shared admin password.';

  await signIn(page);
  await page.goto('/security-management/alerts');
  await page.getByRole('button', { name: 'Raise alert' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByLabel('Severity').selectOption({ label: 'High' });
  await dialog
    .getByLabel('What is happening')
    .fill('A botnet is replaying leaked passwords against the payments API.');
  await dialog.getByLabel('Precautions').fill(precautions);
  await dialog
    .getByLabel('Affected entities')
    .fill('component:default/payments-api');
  await dialog.getByRole('button', { name: 'Raise alert' }).click();
  await expect(page.getByText('Alert raised')).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: title })).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/security-alerts.png`,
    fullPage: true,
  });

  await page.goto('/catalog/default/component/payments-api');
  const banner = page.getByRole('alert', { name: `Security alert: ${title}` });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(`High security alert: ${title}`);
  await expect(banner).toContainText(precautions);
  await page.screenshot({
    path: `${SCREENSHOTS}/security-alert-banner.png`,
    fullPage: true,
  });

  // Resolved, the banner leaves the page (and the other tests' pages).
  await page.goto('/security-management/alerts');
  await page.getByRole('button', { name: `Resolve ${title}` }).click();
  await dialog
    .getByLabel('Resolution')
    .fill('Rate limiting and bot detection are in place.');
  await dialog.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByText('Alert resolved')).toBeVisible();
  await page.goto('/catalog/default/component/payments-api');
  await expect(
    page.getByText('Security posture', { exact: true }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('alert', { name: `Security alert: ${title}` }),
  ).toHaveCount(0);
});

test('the policy tree shows each statement’s coverage, and the LOW baseline is in the catalog', async ({
  page,
  request,
}) => {
  test.setTimeout(300_000);
  await signIn(page);
  await page.goto('/security-management/policies');
  // The example policies: the root, one past its review date, and a
  // statement naming a control that does not exist. The policy sync runs
  // on a schedule shortly after start, so reload until it has.
  await expect
    .poll(
      async () => {
        await page.reload();
        // Wait for the tab to render before looking: a count right after a
        // reload sees an empty page.
        return page
          .getByText('IT Security Policy')
          .first()
          .waitFor({ timeout: 20_000 })
          .then(
            () => 1,
            () => 0,
          );
      },
      { timeout: 180_000, intervals: [5_000] },
    )
    .toBeGreaterThan(0);
  await expect(page.getByText('Review overdue').first()).toBeVisible();
  await expect(page.getByText(/Not in the catalog/).first()).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/policy-tree.png`,
    fullPage: true,
  });

  // The OSCAL import of NIST SP 800-53 rev5 LOW: 149 controls and
  // enhancements, with their ids, as SecurityRequirement entities.
  const token = await page.evaluate(async () => {
    const res = await fetch('/api/auth/guest/refresh?env=development', {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    return (await res.json()).backstageIdentity.token as string;
  });
  await expect
    .poll(
      async () => {
        const res = await request.get(
          '/api/catalog/entities/by-query?filter=kind=securityrequirement&limit=1',
          { headers: { Authorization: `Bearer ${token}` } },
        );
        return (await res.json()).totalItems;
      },
      { timeout: 120_000, intervals: [5_000] },
    )
    .toBe(149);
  const ac2 = await request.get(
    '/api/catalog/entities/by-name/securityrequirement/default/nist-sp-800-53-rev5-ac-2',
    { headers: { Authorization: `Bearer ${token}` } },
  );
  expect(ac2.status()).toBe(200);
  expect((await ac2.json()).spec.label).toBe('AC-2');

  await page.goto('/security-management/frameworks');
  await expect(page.getByText('AC-2', { exact: true }).first()).toBeVisible({
    timeout: 120_000,
  });
  await page.screenshot({
    path: `${SCREENSHOTS}/frameworks.png`,
    fullPage: true,
  });
});
