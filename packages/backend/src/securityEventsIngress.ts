import {
  coreServices,
  createBackendModule,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { RequestValidator } from '@backstage/plugin-events-node';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import { timingSafeEqual } from 'node:crypto';

/** Config key of the shared secret scanners and SIEMs send. */
const TOKEN_KEY = 'securityEventsIngress.token';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Accepts a request only with `Authorization: Bearer <token>`. The events
 * backend's HTTP ingress (`POST /api/events/http/<topic>`) takes requests
 * without any Backstage token, and a security event can open an incident.
 */
export function requireIngressToken(token: string): RequestValidator {
  return async (request, context) => {
    const header = request.headers.authorization;
    const given =
      typeof header === 'string'
        ? /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1]
        : undefined;
    if (given && sameSecret(given, token)) return;
    context.reject({
      status: 401,
      payload: {
        error: {
          name: 'AuthenticationError',
          message:
            'Security events need Authorization: Bearer <the security events ingress token>',
        },
      },
    });
  };
}

function correlationTopics(config: RootConfigService): string[] {
  return (
    config.getOptionalStringArray('securityManagement.correlation.topics') ?? [
      'security',
    ]
  );
}

/**
 * The example backend's guard on the events HTTP ingress: every topic the
 * Security Management correlation subscribes to needs the shared secret
 * `securityEventsIngress.token` (`$SECURITY_EVENTS_TOKEN`). Other topics
 * stay as the events backend serves them.
 */
export const securityEventsIngressModule = createBackendModule({
  pluginId: 'events',
  moduleId: 'security-events-ingress',
  register(env) {
    env.registerInit({
      deps: {
        events: eventsExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ events, config }) {
        const token = config.getString(TOKEN_KEY);
        if (token.length < 16) {
          throw new Error(
            `Invalid config at '${TOKEN_KEY}': use a secret of at least 16 characters`,
          );
        }
        for (const topic of correlationTopics(config)) {
          events.addHttpPostIngress({
            topic,
            validator: requireIngressToken(token),
          });
        }
      },
    });
  },
});
