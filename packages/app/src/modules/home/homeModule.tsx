import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Security management

This portal tracks IT security management (ITIL) for every service in the
catalog: which security controls apply, whether they were tested, open
incidents, periodic reviews and accepted risks.

- **Your service** — open it in the [Catalog](/catalog): the overview shows
  its security posture, the **Security** tab its controls, tests,
  incidents, reviews and exceptions.
- **Security managers** — the [Security](/security-management) page has the
  organisation-wide posture, the [testing schedule](/security-management/schedule),
  the [incident register](/security-management/incidents) and the
  [control library](/security-management/controls).
- **Opt in** — annotate an entity with \`security.open-itsm.dev/risk-tier\`
  (1 = critical … 3 = low) and list extra controls in
  \`security.open-itsm.dev/controls\`.
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting started',
    description: 'Where to find the security posture of your services',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
