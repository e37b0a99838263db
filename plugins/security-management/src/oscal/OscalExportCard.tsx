import { useState } from 'react';
import { PeriodFields } from '../components/PeriodFields';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { DateTime } from 'luxon';
import {
  OSCAL_VERSION,
  OscalAssessmentResultsQuery,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { downloadFile } from '../lib/download';
import { isForbidden, isNotFound, serverMessage } from '../lib/errors';
import { endOfDay } from '../lib/validation';

type Export = 'component-definition' | 'assessment-results';

/** The last 12 months, as the date fields show them. */
export function defaultOscalPeriod(): { from: string; to: string } {
  const today = DateTime.now();
  return {
    from: today.minus({ months: 12 }).toISODate()!,
    to: today.toISODate()!,
  };
}

/**
 * The period of the date fields as the export's query: from the start of
 * the first day to the end of the last; a period ending today ends now.
 */
export function toAssessmentResultsQuery(
  entityRef: string,
  period: { from: string; to: string },
): OscalAssessmentResultsQuery {
  const today = DateTime.now().toISODate();
  return {
    entityRef,
    from: DateTime.fromISO(period.from).startOf('day').toUTC().toISO()!,
    to: period.to === today ? undefined : endOfDay(period.to).toUTC().toISO()!,
  };
}

/** `component:default/shop` as `component-default-shop`, as the backend names files. */
function fileNameOf(entityRef: string): string {
  return entityRef.replace(/[^a-z0-9._-]+/gi, '-');
}

function failure(e: unknown): string {
  if (isForbidden(e)) {
    return 'You do not have permission to export the security posture of this entity.';
  }
  if (isNotFound(e)) {
    return 'No security control applies to this entity, so there is nothing to export.';
  }
  return serverMessage(e);
}

/**
 * Downloads of the entity's controls (an OSCAL component definition) and of
 * its test records of a period (OSCAL assessment results), for auditors and
 * GRC tools.
 */
export function OscalExportCard(props: { entityRef: string }) {
  const { entityRef } = props;
  const api = useApi(securityManagementApiRef);
  const [period, setPeriod] = useState(defaultOscalPeriod);
  const [busy, setBusy] = useState<Export>();
  const [error, setError] = useState<string>();

  const periodError =
    period.from && period.to && period.to < period.from
      ? 'The end of the period is before its start'
      : undefined;
  const periodComplete = Boolean(period.from && period.to);

  const download = async (kind: Export) => {
    setBusy(kind);
    setError(undefined);
    try {
      if (kind === 'component-definition') {
        const doc = await api.exportOscalComponentDefinition({ entityRef });
        downloadFile({
          name: `oscal-component-definition-${fileNameOf(entityRef)}.json`,
          type: 'application/json',
          content: JSON.stringify(doc, null, 2),
        });
      } else {
        const doc = await api.exportOscalAssessmentResults(
          toAssessmentResultsQuery(entityRef, period),
        );
        downloadFile({
          name: `oscal-assessment-results-${fileNameOf(entityRef)}-${
            period.from
          }-${period.to}.json`,
          type: 'application/json',
          content: JSON.stringify(doc, null, 2),
        });
      }
    } catch (e) {
      setError(failure(e));
    } finally {
      setBusy(undefined);
    }
  };

  const progress = (kind: Export) =>
    busy === kind ? (
      <CircularProgress size={16} aria-label="Preparing the download" />
    ) : undefined;

  return (
    <InfoCard title="OSCAL export">
      <Typography variant="body2" paragraph>
        This entity's controls and their current status as an OSCAL component
        definition, and its test records of a period as OSCAL assessment
        results: JSON valid against NIST's OSCAL {OSCAL_VERSION} schemas, for
        auditors and compliance tools.
      </Typography>
      {error && (
        <Box mb={2}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="flex-start"
        style={{ gap: 16 }}
      >
        <Button
          variant="outlined"
          color="primary"
          disabled={busy !== undefined}
          endIcon={progress('component-definition')}
          onClick={() => download('component-definition')}
        >
          Download OSCAL component definition
        </Button>
        <PeriodFields
          id="oscal"
          fromLabel="Tested from"
          toLabel="Tested to"
          period={period}
          problem={periodError}
          onChange={setPeriod}
        />
        <Button
          variant="outlined"
          color="primary"
          disabled={
            busy !== undefined || Boolean(periodError) || !periodComplete
          }
          endIcon={progress('assessment-results')}
          onClick={() => download('assessment-results')}
        >
          Download OSCAL assessment results
        </Button>
      </Box>
    </InfoCard>
  );
}
