import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import {
  getPostureOrNull,
  SecurityDataProvider,
  useSecurityData,
} from '../lib/data';
import { EntityAdvisoriesSection } from '../advisories';
import { EntityCampaignsSection } from '../campaigns';
import { StatementOfApplicabilityCard } from '../frameworks';
import { EntityTrendSection } from '../history';
import { OscalExportCard } from '../oscal';
import { TestReportCard } from '../reports';
import { ControlsSection } from './ControlsSection';
import { ExceptionsSection } from './ExceptionsSection';
import { IncidentFollowUpSection } from './IncidentFollowUpSection';
import { IncidentsSection } from './IncidentsSection';
import { ReviewsSection } from './ReviewsSection';
import { TestHistorySection } from './TestHistorySection';

function SecuritySections(props: { entityRef: string }) {
  const { entityRef } = props;
  const posture = useSecurityData(
    api => getPostureOrNull(api, entityRef),
    [entityRef],
  );
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <ControlsSection entityRef={entityRef} state={posture} />
      </Grid>
      <Grid item xs={12}>
        <EntityTrendSection entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <EntityAdvisoriesSection entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <EntityCampaignsSection entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <TestHistorySection entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <IncidentsSection entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <IncidentFollowUpSection entityRef={entityRef} />
      </Grid>
      <Grid item xs={12} lg={6}>
        <ReviewsSection
          entityRef={entityRef}
          reasons={posture.value?.review.reasons}
        />
      </Grid>
      <Grid item xs={12} lg={6}>
        <ExceptionsSection entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <StatementOfApplicabilityCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12} lg={6}>
        <TestReportCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12} lg={6}>
        <OscalExportCard entityRef={entityRef} />
      </Grid>
    </Grid>
  );
}

/**
 * The Security tab of an entity page: its controls and their status, test
 * history, incidents, reviews and exceptions, with the actions the caller
 * may take.
 *
 * @public
 */
export function EntitySecurityContent() {
  const { entity } = useEntity();
  return (
    <SecurityDataProvider>
      <SecuritySections entityRef={stringifyEntityRef(entity)} />
    </SecurityDataProvider>
  );
}
