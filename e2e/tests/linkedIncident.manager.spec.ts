import { expect, test } from '@playwright/test';
import { guestToken, SCREENSHOTS, signIn } from './helpers';

// Runs in the manager phase (the file name matches its project): the guest
// is nadia.okafor of group:default/security-team, who may read incidents.
// Backstage search links an incident's result to the register with
// `?incident=<id>` (the collator's location, checked by its unit test).

test('the link of an incident search result opens that incident above the register', async ({
  page,
  request,
}) => {
  const token = await guestToken(request);
  const title = `Session tokens logged by the gateway ${Date.now()}`;
  const created = await request.post('/api/security-management/incidents', {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      title,
      severity: 'critical',
      description: 'Bearer tokens appeared in the access log of the gateway.',
      affectedEntities: ['component:default/payments-api'],
    },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();

  await signIn(page);
  await page.goto(
    `/security-management/incidents?incident=${encodeURIComponent(id)}`,
  );
  const card = page.getByRole('region', { name: title });
  await expect(card).toBeVisible();
  await expect(
    card.getByText('Bearer tokens appeared in the access log of the gateway.'),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/linked-incident.png`,
    fullPage: true,
  });

  // Back to the whole register.
  await card.getByRole('button', { name: 'Show all incidents' }).click();
  await expect(card).toHaveCount(0);
  await expect(page).not.toHaveURL(/incident=/);
  await expect(
    page.getByText('Card numbers written to debug logs'),
  ).toBeVisible();

  // An id nobody can see says so, without telling why.
  await page.goto('/security-management/incidents?incident=no-such-incident');
  await expect(
    page.getByText('This incident does not exist or you may not see it.'),
  ).toBeVisible();
});
