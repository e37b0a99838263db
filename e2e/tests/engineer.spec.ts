import { expect, test } from '@playwright/test';
import { CI_TOKEN, countOf, guestToken, SCREENSHOTS, signIn } from './helpers';

// The guest sign-in is configured as aisha.rahman of group:default/identity-team:
// an engineer, not a security manager, who owns the identity team's services.

test('an engineer sees the security posture of a service and the detail behind it', async ({
  page,
}) => {
  await signIn(page);
  const card = page
    .locator('article', { hasText: 'Security posture' })
    .or(page.locator('.MuiCard-root', { hasText: 'Security posture' }))
    .first();
  // 10 controls of its own, and backup-and-restore inherited from
  // payments-db once the catalog has related it (a few processing passes).
  await expect(async () => {
    await page.goto('/catalog/default/component/payments-api');
    await expect(card).toContainText(/Score \d+\/100/, { timeout: 10_000 });
    const applicable =
      (await countOf(card, 'Passing')) +
      (await countOf(card, 'Failing')) +
      (await countOf(card, 'Overdue')) +
      (await countOf(card, 'Untested')) +
      (await countOf(card, 'Excepted'));
    expect(applicable).toBe(11);
  }).toPass({ timeout: 150_000 });
  await expect(card).toContainText('Risk tier 1');
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

test("a first visit to the Security page shows an engineer their own team's posture, not permission notices", async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/security-management');
  await expect(
    page.getByText(/The posture of what your teams own/),
  ).toBeVisible();
  await expect(page.getByText('Owned by').first()).toBeVisible();
  await expect(page.getByRole('table').first()).toContainText(
    'Customer Profiles',
  );
  await expect(page.getByRole('tab', { name: 'Report' })).toHaveCount(0);
  await expect(page.getByText(/not allowed|permission/i)).toHaveCount(0);
  await page.screenshot({
    path: `${SCREENSHOTS}/security-page-engineer.png`,
    fullPage: true,
  });

  // The testing schedule starts on their own team.
  await page.getByRole('tab', { name: 'Testing schedule' }).click();
  await expect(page.getByLabel('Owner')).toHaveValue(
    'group:default/identity-team',
  );

  // The control library is there; the list of controls not in effect,
  // which quotes files from the whole catalog, is for security managers.
  await page.getByRole('tab', { name: 'Control library' }).click();
  await expect(page.getByText('Encrypt data in transit').first()).toBeVisible();
  await expect(page.getByText(/not in effect/)).toHaveCount(0);
});

test('an incident the engineer may not read shows on no surface', async ({
  page,
  request,
}) => {
  // CI opens a critical incident on payments-api (payments-team's).
  const created = await request.post('/api/security-management/incidents', {
    headers: { Authorization: `Bearer ${CI_TOKEN}` },
    data: {
      title: 'Card data exfiltration suspected on payments-api',
      severity: 'critical',
      affectedEntities: ['component:default/payments-api'],
    },
  });
  expect(created.status()).toBe(201);

  const headers = { Authorization: `Bearer ${await guestToken(request)}` };
  const posture = await (
    await request.get(
      '/api/security-management/posture/entity?entityRef=component:default/payments-api',
      { headers },
    )
  ).json();
  // Counted only as far as the engineer may read incidents: none of these.
  expect(posture.openIncidents?.critical ?? 0).toBe(0);
  const list = await (
    await request.get('/api/security-management/posture?limit=500', {
      headers,
    })
  ).json();
  const payments = list.items.find(
    (item: { entityRef: string }) =>
      item.entityRef === 'component:default/payments-api',
  );
  expect(payments.openIncidents?.critical ?? 0).toBe(0);
  expect(payments.score).toBe(posture.score);

  await signIn(page);
  await page.goto('/catalog/default/component/payments-api');
  const card = page
    .locator('.MuiCard-root', { hasText: 'Security posture' })
    .first();
  await expect(card).toContainText(/Score \d+\/100/);
  await expect(card).not.toContainText('critical');
  await page.goto('/catalog/default/component/payments-api/security');
  await expect(
    page.getByText('No incidents that you may see affect this entity.'),
  ).toBeVisible();
  await expect(page.getByText('Card data exfiltration')).toHaveCount(0);
});

test('the Catalog Graph page shows which controls apply, without choosing relations', async ({
  page,
}) => {
  await signIn(page);
  await page.goto(
    '/catalog-graph?rootEntityRefs%5B%5D=component%3Adefault%2Fpayments-api',
  );
  // A node for the control, linked by the security relations.
  const control = page.locator('svg g', {
    has: page.locator('title', {
      hasText: 'securitycontrol:default/encrypt-data-in-transit',
    }),
  });
  await expect(control.first()).toBeVisible();
  await expect(control.first()).toContainText('Encrypt data in transit');
  await page.screenshot({ path: `${SCREENSHOTS}/catalog-graph.png` });
});

test('an owner sees the advisories that affect their service, with the reason', async ({
  page,
}) => {
  // account-portal (identity-team) declares its packages as purls; the
  // backend reads the real OSV feed of the example app and matches them.
  // Matching runs on a schedule shortly after start, so reload until it has.
  test.setTimeout(300_000);
  await signIn(page);
  await page.goto('/catalog/default/component/account-portal/security');
  const section = page
    .locator('.MuiCard-root', { hasText: 'Advisories' })
    .first();
  await expect
    .poll(
      async () => {
        await page.reload();
        await section.waitFor({ timeout: 30_000 });
        return section.getByText('GHSA-rmvr-2pp2-xj38').count();
      },
      { timeout: 240_000, intervals: [5_000] },
    )
    .toBeGreaterThan(0);
  // The reason: the package and the version installed.
  await expect(section).toContainText('@octokit/request');
  await expect(section).toContainText('6.2.8');
  // express 4.22.3 is declared too, and no advisory of the feed affects it.
  await expect(section).not.toContainText('GHSA-qw6h-vgh9-j6wx');
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: `${SCREENSHOTS}/entity-advisories.png`,
    fullPage: true,
  });
});
