import { expect, test } from '@playwright/test';
import { guestToken, SCREENSHOTS, signIn } from './helpers';

// Runs in the manager phase (the file name matches its project): the guest
// is nadia.okafor of group:default/security-team, who may read the report.
// The history task takes today's snapshot a minute after start-up and
// computes the 30 days before it from the demo history's records.

test('the posture trend shows points over several days on the security page and on a service', async ({
  page,
  request,
}) => {
  test.setTimeout(480_000);
  // Wait for the history task (every 5 minutes in the example's config).
  const token = await guestToken(request);
  await expect
    .poll(
      async () => {
        const response = await request.get(
          '/api/security-management/history/trend?days=30',
          { headers: { Authorization: `Bearer ${token}` } },
        );
        return response.ok() ? (await response.json()).points.length : 0;
      },
      { timeout: 420_000, intervals: [5_000] },
    )
    .toBeGreaterThanOrEqual(3);

  await signIn(page);
  await page.goto('/security-management');
  const chart = page.getByRole('img', {
    name: 'Posture score of the organisation over the last 30 days',
  });
  await expect(chart).toBeVisible();
  expect(await chart.getByTestId('trend-point').count()).toBeGreaterThanOrEqual(
    3,
  );
  await expect(
    page.getByText('What changed in the last 30 days'),
  ).toBeVisible();
  const card = page
    .locator('.MuiCard-root')
    .filter({ hasText: 'Posture trend' })
    .first();
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: `${SCREENSHOTS}/trend-organisation.png` });

  // An owner's trend, and the longer period.
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await page.getByRole('option', { name: 'By owner' }).click();
  await page.getByRole('button', { name: '90 days', exact: true }).click();
  const ownerChart = page.getByRole('img', {
    name: /^Posture score of group:default\/.+ over the last 90 days$/,
  });
  await expect(ownerChart).toBeVisible();
  expect(
    await ownerChart.getByTestId('trend-point').count(),
  ).toBeGreaterThanOrEqual(3);

  // The service's own trend on its Security tab.
  await page.goto('/catalog/default/component/payments-api/security');
  const entityChart = page.getByRole('img', {
    name: 'Posture score of this entity over the last 30 days',
  });
  await expect(entityChart).toBeVisible();
  expect(
    await entityChart.getByTestId('trend-point').count(),
  ).toBeGreaterThanOrEqual(3);
  const entityCard = page
    .locator('.MuiCard-root')
    .filter({ hasText: 'Posture trend' })
    .first();
  await entityCard.scrollIntoViewIfNeeded();
  await entityCard.screenshot({ path: `${SCREENSHOTS}/trend-entity.png` });
});
