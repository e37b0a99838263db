import { InfoCard } from '@backstage/core-components';
import { TrendPanel } from './TrendPanel';

/** The Security tab's trend: the entity's score by day and what changed. */
export function EntityTrendSection(props: { entityRef: string }) {
  const { entityRef } = props;
  return (
    <InfoCard title="Posture trend">
      <TrendPanel
        subject="this entity"
        deps={[entityRef]}
        load={(api, days) =>
          Promise.all([
            api.getEntityTrend({ entityRef, days }),
            api.getEntityChanges({ entityRef, days }),
          ])
        }
      />
    </InfoCard>
  );
}
