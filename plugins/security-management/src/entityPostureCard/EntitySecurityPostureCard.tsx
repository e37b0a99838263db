import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  getPostureOrNull,
  SecurityDataProvider,
  useSecurityData,
} from '../lib/data';
import { AsyncContent } from '../components/AsyncContent';
import { NoControlsState } from '../components/NoControlsState';
import { PostureSummary } from '../components/PostureSummary';

function PostureCardBody(props: { entityRef: string }) {
  const state = useSecurityData(
    api => getPostureOrNull(api, props.entityRef),
    [props.entityRef],
  );
  return (
    <AsyncContent
      state={state}
      action="view the security posture of this entity"
    >
      {posture =>
        posture && posture.grade !== 'N/A' ? (
          <PostureSummary posture={posture} />
        ) : (
          <NoControlsState />
        )
      }
    </AsyncContent>
  );
}

/**
 * The security posture of the current entity: grade, controls by status,
 * review due date and open incidents, with a link to the Security tab.
 *
 * @public
 */
export function EntitySecurityPostureCard() {
  const { entity } = useEntity();
  const entityLink = useEntityRefLink();
  const entityRef = stringifyEntityRef(entity);
  return (
    <InfoCard
      title="Security posture"
      variant="gridItem"
      deepLink={{
        title: 'View security details',
        link: `${entityLink(entity)}/security`,
      }}
    >
      <SecurityDataProvider>
        <PostureCardBody entityRef={entityRef} />
      </SecurityDataProvider>
    </InfoCard>
  );
}
