import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  CorrelationFiring,
  CorrelationRuleSummary,
} from '@open-itsm/plugin-security-management-common';
import {
  fromNow,
  incident,
  mockSecurityApi,
  responseError,
} from '../__testUtils__/fixtures';
import { forbidden, renderSecurityPage } from '../__testUtils__/surfaces';
import { describeCondition, describeWindow } from './EventsTab';

const rule: CorrelationRuleSummary = {
  id: 'repeated-auth-failures',
  title: 'Repeated authentication failures',
  description: 'Five failed logins from one address within ten minutes.',
  topic: 'security',
  match: { type: 'auth.failure', 'source.country': ['RU', 'KP'] },
  fingerprint: ['entityRef', 'source.ip'],
  entity: 'entityRef',
  threshold: 5,
  window: 'PT10M',
  incident: { title: '{{count}} failed logins', severity: 'high' },
  counters: {
    matchedEvents: 1234,
    missingFields: 2,
    unknownEntity: 0,
    firings: 1,
    lastFiredAt: fromNow({ hours: -2 }),
  },
};

const firing: CorrelationFiring = {
  id: 'f1',
  ruleId: 'repeated-auth-failures',
  ruleTitle: 'Repeated authentication failures',
  fingerprint: {
    entityRef: 'component:default/shop',
    'source.ip': '203.0.113.9',
  },
  entityRef: 'component:default/shop',
  incidentId: 'inc-7',
  eventCount: 6,
  firedAt: fromNow({ hours: -2 }),
  lastEventAt: fromNow({ hours: -1 }),
};

function eventsApi(overrides: Parameters<typeof mockSecurityApi>[0] = {}) {
  return mockSecurityApi({
    listCorrelationRules: jest.fn().mockResolvedValue({
      topics: ['security'],
      retention: 'P30D',
      items: [rule],
    }),
    listCorrelationFirings: jest
      .fn()
      .mockResolvedValue({ items: [firing], totalCount: 1 }),
    ...overrides,
  });
}

describe('EventsTab', () => {
  it('words filters and windows', () => {
    expect(describeCondition('type', 'auth.failure')).toBe(
      'type = auth.failure',
    );
    expect(describeCondition('code', 401)).toBe('code = 401');
    expect(describeCondition('country', ['RU', 'KP'])).toBe(
      'country is one of RU, KP',
    );
    expect(describeCondition('user', { exists: true })).toBe('user is present');
    expect(describeCondition('user', { exists: false })).toBe('user is absent');
    expect(describeWindow('PT10M')).toBe('10 minutes');
    expect(describeWindow('P30D')).toBe('30 days');
  });

  it('lists the rules with their filter, grouping, threshold and counters', async () => {
    const api = eventsApi();
    await renderSecurityPage(api, '/events');
    expect(
      await screen.findByText('repeated-auth-failures'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Events of security; kept 30 days unless attached to an incident',
      ),
    ).toBeInTheDocument();
    for (const text of [
      'repeated-auth-failures',
      'Topic security',
      'type = auth.failure',
      'source.country is one of RU, KP',
      'entityRef, source.ip',
      '5 events within 10 minutes',
      '1,234 matched',
      '2 lacked fields',
      '1 incident',
    ]) {
      expect(screen.getByText(text)).toBeInTheDocument();
    }
    expect(screen.queryByText(/unknown entity/)).toBeNull();
  });

  it('lists the incidents the rules opened and opens one with its correlated events', async () => {
    const api = eventsApi({
      getIncident: jest.fn().mockResolvedValue(
        incident({
          id: 'inc-7',
          title: '6 failed logins on shop from 203.0.113.9',
          createdBy: 'rule:repeated-auth-failures',
        }),
      ),
      getIncidentTimeline: jest.fn().mockResolvedValue({
        items: [
          {
            id: 't2',
            incidentId: 'inc-7',
            at: fromNow({ hours: -2 }),
            actor: 'rule:repeated-auth-failures',
            action: 'correlated',
            note: "6 events of 'Repeated authentication failures'",
            changes: {
              rule: { id: 'repeated-auth-failures', title: 'Repeated' },
              fingerprint: firing.fingerprint,
              eventCount: 6,
              events: [
                {
                  id: 'evt-1',
                  occurredAt: fromNow({ hours: -2 }),
                  fields: { type: 'auth.failure', 'source.ip': '203.0.113.9' },
                },
              ],
            },
          },
        ],
      }),
    });
    await renderSecurityPage(api, '/events');
    expect(
      await screen.findByText('Incidents opened by the rules'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'entityRef=component:default/shop, source.ip=203.0.113.9',
      ),
    ).toBeInTheDocument();
    expect(api.listCorrelationFirings).toHaveBeenCalledWith({
      limit: 50,
      offset: 0,
    });

    await userEvent.click(
      screen.getByRole('button', { name: 'Detail panel visiblity toggle' }),
    );
    expect(
      await screen.findByText('6 failed logins on shop from 203.0.113.9'),
    ).toBeInTheDocument();
    expect(api.getIncident).toHaveBeenCalledWith({ id: 'inc-7' });

    // The incident's own details, with its timeline.
    const toggles = screen.getAllByRole('button', {
      name: 'Detail panel visiblity toggle',
    });
    await userEvent.click(toggles[toggles.length - 1]);
    const events = await screen.findByRole('list', {
      name: 'Correlated security events',
    });
    expect(
      within(events).getByText(
        /\(evt-1\): type=auth.failure, source.ip=203.0.113.9/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('6 security events; the first 1:'),
    ).toBeInTheDocument();
  });

  it('says so when there are no rules and no firings', async () => {
    const api = eventsApi({
      listCorrelationRules: jest.fn().mockResolvedValue({
        topics: ['security'],
        retention: 'P30D',
        items: [],
      }),
      listCorrelationFirings: jest
        .fn()
        .mockResolvedValue({ items: [], totalCount: 0 }),
    });
    await renderSecurityPage(api, '/events');
    expect(
      await screen.findByText(/No correlation rule is configured/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No rule has opened an incident you may read.'),
    ).toBeInTheDocument();
  });

  it('shows an error with a retry, and a notice when incidents may not be read', async () => {
    const api = eventsApi({
      listCorrelationRules: jest
        .fn()
        .mockRejectedValueOnce(
          await responseError({
            status: 503,
            name: 'ServiceUnavailableError',
            message: 'database down',
          }),
        )
        .mockResolvedValue({
          topics: ['security'],
          retention: 'P30D',
          items: [rule],
        }),
      listCorrelationFirings: jest.fn().mockRejectedValue(await forbidden()),
    });
    await renderSecurityPage(api, '/events');
    expect(
      await screen.findByText(
        'You do not have permission to view the incidents the rules opened.',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/Could not view the correlation rules/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText('repeated-auth-failures'),
    ).toBeInTheDocument();
  });

  it('loads older firings page by page', async () => {
    const api = eventsApi({
      listCorrelationFirings: jest.fn(async query => ({
        items: [{ ...firing, id: `f${query?.offset}` }],
        totalCount: 120,
      })),
    });
    await renderSecurityPage(api, '/events');
    expect(await screen.findByText('1–1 of 120')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Older' }));
    await waitFor(() =>
      expect(api.listCorrelationFirings).toHaveBeenLastCalledWith({
        limit: 50,
        offset: 50,
      }),
    );
  });
});
