import { APIRequestContext, expect, Page } from '@playwright/test';

export const SCREENSHOTS = 'e2e-test-results/screenshots';

/** Signs in through the guest provider's "Enter" button. */
export async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

/** A Backstage token for the guest sign-in, as the app gets it. */
export async function guestToken(request: APIRequestContext): Promise<string> {
  const response = await request.get(
    '/api/auth/guest/refresh?env=development',
    {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    },
  );
  expect(response.ok()).toBe(true);
  return (await response.json()).backstageIdentity.token;
}

/** The development-only static token that app-config.yaml gives CI. */
export const CI_TOKEN = 'dev-only-ci-token-change-me';

/** The number shown above a status label in a posture summary. */
export async function countOf(
  scope: Page | ReturnType<Page['locator']>,
  label: string,
) {
  const text = await scope
    .locator(
      `xpath=.//span[normalize-space()="${label}"]/preceding-sibling::div[1]`,
    )
    .first()
    .innerText();
  return Number(text.trim());
}
