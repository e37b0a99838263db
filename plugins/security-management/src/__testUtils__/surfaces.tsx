import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntitySecurityContent } from '../entityTab/EntitySecurityContent';
import { SecurityManagementTabs } from '../securityPage/SecurityManagementPage';
import {
  MockSecurityApi,
  renderWithApis,
  responseError,
  serviceEntity,
} from './fixtures';

const ENTITY_TAB_ACTIONS = [
  'security-management.test-record.create',
  'security-management.incident.create',
  'security-management.incident.update',
  'security-management.review.create',
  'security-management.exception.request',
  'security-management.exception.decide',
  'security-management.advisory.update',
];

/** Renders the Security tab of the shop service, allowing every action. */
export function renderEntityTab(
  api: MockSecurityApi,
  allow: string[] = ENTITY_TAB_ACTIONS,
): ReturnType<typeof renderWithApis> {
  return renderWithApis(<EntitySecurityContent />, {
    api,
    allow,
    entity: serviceEntity,
  });
}

/** Clicks the named button and waits for the dialog it opens. */
export async function openDialog(button: string) {
  await userEvent.click(await screen.findByRole('button', { name: button }));
  return screen.findByRole('dialog');
}

const PAGE_ACTIONS = [
  'security-management.report.read',
  'security-management.incident.create',
  'security-management.incident.update',
  'security-management.review.create',
  'security-management.exception.decide',
  'security-management.advisory.update',
  'security-management.advisory.manage',
];

/**
 * Renders the security page's tabs at `path` as a security manager: every
 * action allowed, and the organisation-wide report.
 */
export function renderSecurityPage(
  api: MockSecurityApi,
  path = '/',
): ReturnType<typeof renderWithApis> {
  return renderWithApis(<SecurityManagementTabs />, {
    api,
    allow: PAGE_ACTIONS,
    routeEntries: [path],
  });
}

/** The error the API client throws when the caller may not read. */
export const forbidden = () =>
  responseError({
    status: 403,
    name: 'NotAllowedError',
    message: 'Unauthorized',
  });
