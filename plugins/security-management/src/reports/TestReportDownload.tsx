import { useState } from 'react';
import { PeriodFields } from '../components/PeriodFields';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { downloadFile } from '../lib/download';
import { isForbidden, isNotFound, serverMessage } from '../lib/errors';
import {
  defaultPeriod,
  fileNameOf,
  periodProblem,
  testReportQueryOf,
} from './dates';

type Format = 'csv' | 'json';

/**
 * Downloads the test report of a control or an entity for a period: every
 * test with its result, method, tester, evidence and notes.
 */
export function TestReportDownload(props: {
  controlRef?: string;
  entityRef?: string;
}) {
  const { controlRef, entityRef } = props;
  const api = useApi(securityManagementApiRef);
  const [period, setPeriod] = useState(() => defaultPeriod());
  const [busy, setBusy] = useState<Format>();
  const [error, setError] = useState<string>();
  const problem = periodProblem(period);
  const subject = [controlRef, entityRef]
    .filter((ref): ref is string => Boolean(ref))
    .map(fileNameOf)
    .join('-');

  const download = async (format: Format) => {
    setBusy(format);
    setError(undefined);
    const query = testReportQueryOf({ controlRef, entityRef }, period);
    const name = `test-report-${subject}-${period.from}-${period.to}.${format}`;
    try {
      if (format === 'csv') {
        downloadFile({
          name,
          type: 'text/csv',
          content: await api.getTestReportCsv(query),
        });
      } else {
        const report = await api.getTestReport(query);
        downloadFile({
          name,
          type: 'application/json',
          content: JSON.stringify(report, null, 2),
        });
      }
    } catch (e) {
      if (isForbidden(e)) {
        setError('You do not have permission to read test records.');
      } else if (isNotFound(e)) {
        setError(
          'Security management does not know this yet: nothing has been tested.',
        );
      } else {
        setError(serverMessage(e));
      }
    } finally {
      setBusy(undefined);
    }
  };

  const progress = (format: Format) =>
    busy === format ? (
      <CircularProgress size={16} aria-label="Preparing the download" />
    ) : undefined;

  return (
    <>
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
        <PeriodFields
          id={`test-report-${subject}`}
          fromLabel="Tests from"
          toLabel="Tests to"
          period={period}
          problem={problem}
          onChange={setPeriod}
        />
        <Button
          variant="outlined"
          color="primary"
          disabled={busy !== undefined || Boolean(problem)}
          endIcon={progress('csv')}
          onClick={() => download('csv')}
        >
          Download test report (CSV)
        </Button>
        <Button
          variant="outlined"
          disabled={busy !== undefined || Boolean(problem)}
          endIcon={progress('json')}
          onClick={() => download('json')}
        >
          JSON
        </Button>
      </Box>
    </>
  );
}

/** On the Security tab: the entity's test report for a period. */
export function TestReportCard(props: { entityRef: string }) {
  return (
    <InfoCard title="Test report">
      <Typography variant="body2" paragraph>
        Every security test of this entity in a period, with its result, method,
        tester, evidence and notes, and the controls that went untested: for
        audits and service reviews.
      </Typography>
      <TestReportDownload entityRef={props.entityRef} />
    </InfoCard>
  );
}
