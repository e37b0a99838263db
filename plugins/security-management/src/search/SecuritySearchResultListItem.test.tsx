import { createExtensionTester } from '@backstage/frontend-test-utils';
import { SearchResultListItemBlueprint } from '@backstage/plugin-search-react/alpha';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { securitySearchResultListItems } from '../alpha';
import { SecuritySearchResultListItem } from './SecuritySearchResultListItem';

describe('SecuritySearchResultListItem', () => {
  it('shows a control with its type, link, owner and frameworks', async () => {
    await renderInTestApp(
      <SecuritySearchResultListItem
        type="security-control"
        result={{
          title: 'Encrypt data in transit',
          text: 'TLS 1.2 or later on every connection',
          location: '/catalog/default/securitycontrol/encrypt-data-in-transit',
          owner: 'group:default/security-team',
          frameworks: ['nist-sp-800-53-rev5:SC-8'],
        }}
      />,
    );
    expect(
      screen.getByRole('link', { name: 'Encrypt data in transit' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/securitycontrol/encrypt-data-in-transit',
    );
    expect(screen.getByText('Security control')).toBeInTheDocument();
    expect(screen.getByText('nist-sp-800-53-rev5:SC-8')).toBeInTheDocument();
    expect(
      screen.getByText('Owner: group:default/security-team'),
    ).toBeInTheDocument();
  });

  it('shows a policy with its status and version', async () => {
    await renderInTestApp(
      <SecuritySearchResultListItem
        type="security-policy"
        result={{
          title: 'Access control policy',
          text: 'Administrators: MFA',
          location: '/catalog/default/securitypolicy/access-control-policy',
          status: 'approved',
          version: '1.2.0',
        }}
      />,
    );
    expect(screen.getByText('Security policy')).toBeInTheDocument();
    expect(screen.getByText('Approved')).toBeInTheDocument();
    expect(screen.getByText('v1.2.0')).toBeInTheDocument();
  });

  it('shows an incident with severity, status and affected entities', async () => {
    await renderInTestApp(
      <SecuritySearchResultListItem
        type="security-incident"
        result={{
          title: 'Leaked API key',
          text: 'A key was pushed to a public repository',
          location: '/security-management/incidents?incident=i-1',
          severity: 'critical',
          status: 'contained',
          affectedEntities: ['component:default/payments-api'],
        }}
      />,
    );
    expect(screen.getByText('Security incident')).toBeInTheDocument();
    expect(screen.getByText('Critical')).toBeInTheDocument();
    expect(screen.getByText('Contained')).toBeInTheDocument();
    expect(
      screen.getByText('Affects component:default/payments-api'),
    ).toBeInTheDocument();
  });

  it('renders each type with its own list item on the search page', () => {
    const predicates = securitySearchResultListItems.map(
      extension =>
        createExtensionTester(extension).get(
          SearchResultListItemBlueprint.dataRefs.item,
        ).predicate!,
    );
    const result = (type: string) => ({
      type,
      document: { title: 't', text: '', location: '/' },
    });
    expect(
      predicates.map(predicate =>
        ['security-control', 'security-policy', 'security-incident']
          .filter(type => predicate(result(type)))
          .join(),
      ),
    ).toEqual(['security-control', 'security-policy', 'security-incident']);
    expect(
      predicates.some(predicate => predicate(result('software-catalog'))),
    ).toBe(false);
  });
});
