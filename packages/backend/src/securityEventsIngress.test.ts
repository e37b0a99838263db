import {
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { EventParams } from '@backstage/plugin-events-node';
import eventsPlugin from '@backstage/plugin-events-backend';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import request from 'supertest';
import { securityEventsIngressModule } from './securityEventsIngress';

const TOKEN = 'a-shared-secret-for-the-siem';

async function waitFor(condition: () => boolean, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  while (!condition() && Date.now() < end) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

jest.setTimeout(30_000);

describe('securityEventsIngressModule', () => {
  const received: EventParams[] = [];
  const subscriber = createBackendPlugin({
    pluginId: 'subscriber',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: 'test-subscriber',
            topics: ['security', 'other'],
            onEvent: async params => {
              received.push(params);
            },
          });
        },
      });
    },
  });

  async function start() {
    // One events service for every plugin, as a real backend has.
    const events = mockServices.events();
    return startTestBackend({
      features: [
        createServiceFactory({
          service: eventsServiceRef,
          deps: {},
          factory: () => events,
        }),
        eventsPlugin,
        securityEventsIngressModule,
        subscriber,
        mockServices.rootConfig.factory({
          data: {
            events: { http: { topics: ['security', 'other'] } },
            securityEventsIngress: { token: TOKEN },
          },
        }),
      ],
    });
  }

  beforeEach(() => received.splice(0));

  it('passes a security event with the token on, and refuses one without', async () => {
    const backend = await start();
    const { server } = backend;
    const event = { type: 'auth.failure', entityRef: 'payments-api' };
    const post = () =>
      request(server).post('/api/events/http/security').send(event);

    expect((await post()).status).toBe(401);
    expect((await post().set('Authorization', 'Bearer wrong')).status).toBe(
      401,
    );
    expect(received).toEqual([]);

    const accepted = await post().set('Authorization', `Bearer ${TOKEN}`);
    expect(accepted.status).toBe(202);
    // Delivered through the events service, possibly after the answer.
    await waitFor(() => received.length > 0);
    expect(received).toEqual([
      expect.objectContaining({ topic: 'security', eventPayload: event }),
    ]);

    // Topics the correlation does not read stay as the events backend serves them.
    const other = await request(server)
      .post('/api/events/http/other')
      .send({ any: 'thing' });
    expect(other.status).toBe(202);
    await backend.stop();
  });
});
