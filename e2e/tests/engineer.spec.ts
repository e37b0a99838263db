import { expect, test } from '@playwright/test';
import { CI_TOKEN, countOf, guestToken, SCREENSHOTS, signIn } from './helpers';

// The default guest: user:development/guest, a member of no team.

test('an engineer sees the security posture of a service and the detail behind it', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/payments-api');

  const card = page
    .locator('article', { hasText: 'Security posture' })
    .or(page.locator('.MuiCard-root', { hasText: 'Security posture' }))
    .first();
  await expect(card).toContainText(/Score \d+\/100/);
  await expect(card).toContainText('Risk tier 1');
  const applicable =
    (await countOf(card, 'Passing')) +
    (await countOf(card, 'Failing')) +
    (await countOf(card, 'Overdue')) +
    (await countOf(card, 'Untested')) +
    (await countOf(card, 'Excepted'));
  expect(applicable).toBe(10);
  await card.screenshot({ path: `${SCREENSHOTS}/posture-card.png` });

  await card.getByText('View security details').click();
  await expect(page).toHaveURL(/\/security$/);
  const controls = page.getByRole('table').first();
  await expect(controls).toContainText('Encrypt data in transit');
  await expect(controls).toContainText('nist-sp-800-53-rev5 SC-8');
  await page.screenshot({
    path: `${SCREENSHOTS}/security-tab.png`,
    fullPage: true,
  });
});

test('a guest cannot read incident details of a service it does not own', async ({
  page,
  request,
}) => {
  // CI opens an incident on payments-api (owned by payments-team).
  const created = await request.post('/api/security-management/incidents', {
    headers: { Authorization: `Bearer ${CI_TOKEN}` },
    data: {
      title: 'Suspicious outbound traffic from payments-api',
      severity: 'high',
      affectedEntities: ['component:default/payments-api'],
    },
  });
  expect(created.status()).toBe(201);
  const incident = await created.json();

  const token = await guestToken(request);
  const headers = { Authorization: `Bearer ${token}` };
  const one = await request.get(
    `/api/security-management/incidents/${incident.id}`,
    { headers },
  );
  expect(one.status()).toBe(404);
  const list = await request.get(
    '/api/security-management/incidents?entityRef=component:default/payments-api',
    { headers },
  );
  expect(list.status()).toBe(200);
  const page1 = await list.json();
  expect(page1.items.map((i: { id: string }) => i.id)).not.toContain(
    incident.id,
  );
  expect(page1.totalCount).toBe(page1.items.length);

  // The tab says so instead of showing the incident.
  await signIn(page);
  await page.goto('/catalog/default/component/payments-api/security');
  await expect(
    page.getByText('No incidents that you may see affect this entity.'),
  ).toBeVisible();
  await expect(page.getByText(incident.title)).toHaveCount(0);
});

test('a broken SecurityControl shows its processing error on its entity page', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/securitycontrol/broken-example-control');
  const error = page.getByText(/Invalid SecurityControl/).first();
  await expect(error).toContainText('spec.testing.cadence');
  await expect(error).toContainText(
    'spec.appliesTo[0].team is not a selector key',
  );
  // Its coverage card says why it applies to nothing.
  await expect(page.getByText(/This control is not in effect/)).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/broken-control.png` });
});

test('CI posts a failing test with the static token and the posture changes', async ({
  request,
}) => {
  const headers = { Authorization: `Bearer ${CI_TOKEN}` };
  const url =
    '/api/security-management/posture/entity?entityRef=component:default/checkout-web';
  const before = await (await request.get(url, { headers })).json();
  const passing = before.controls.find(
    (c: { status: string }) => c.status === 'passing',
  );
  expect(passing).toBeDefined();

  const externalId = `e2e-${Date.now()}`;
  const body = {
    controlRef: passing.control.ref,
    entityRef: 'component:default/checkout-web',
    result: 'fail',
    evidenceUrl: 'https://ci.acme-payments.example/runs/e2e',
    externalId,
  };
  const posted = await request.post('/api/security-management/test-records', {
    headers,
    data: body,
  });
  expect(posted.status()).toBe(201);
  const retried = await request.post('/api/security-management/test-records', {
    headers,
    data: body,
  });
  expect(retried.status()).toBe(200);
  expect((await retried.json()).record.id).toBe(
    (await posted.json()).record.id,
  );

  const after = await (await request.get(url, { headers })).json();
  expect(after.counts.failing).toBe(before.counts.failing + 1);
  expect(after.counts.passing).toBe(before.counts.passing - 1);

  // The token is restricted: it may not record reviews.
  const review = await request.post('/api/security-management/reviews', {
    headers,
    data: {
      entityRef: 'component:default/checkout-web',
      outcome: 'approved',
      findings: 'Looks fine',
    },
  });
  expect(review.status()).toBe(403);
});
