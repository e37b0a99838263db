import { useState } from 'react';
import { PeriodFields } from '../components/PeriodFields';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ReportCsvSection } from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { downloadFile } from '../lib/download';
import { isForbidden, serverMessage } from '../lib/errors';
import {
  defaultPeriod,
  openPrintWindow,
  periodProblem,
  reportQueryOf,
  showPrintView,
} from '../reports';

type Action = 'print' | 'csv' | 'json';

const SECTIONS: Array<{ value: ReportCsvSection; label: string }> = [
  { value: 'entities', label: 'Entities and their posture' },
  { value: 'incidents', label: 'Incidents of the period' },
  { value: 'exceptions', label: 'Exceptions' },
  { value: 'tests', label: 'Test coverage (control × entity)' },
];

function failure(e: unknown, section?: ReportCsvSection): string {
  if (!isForbidden(e)) return serverMessage(e);
  return section === 'incidents'
    ? 'You may not read security incidents, so the report has no incident table for you.'
    : 'You do not have permission to read the security report.';
}

/**
 * The IT security report as of a day and over a period: printed (or saved
 * as PDF) from a print view without the app around it, or downloaded as
 * CSV tables and JSON.
 */
export function ReportTab() {
  const api = useApi(securityManagementApiRef);
  const [period, setPeriod] = useState(() => defaultPeriod());
  const [section, setSection] = useState<ReportCsvSection>('entities');
  const [busy, setBusy] = useState<Action>();
  const [error, setError] = useState<string>();
  const problem = periodProblem(period);

  const run = async (action: Action, work: () => Promise<void>) => {
    setBusy(action);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(failure(e, action === 'csv' ? section : undefined));
    } finally {
      setBusy(undefined);
    }
  };

  const print = () => {
    // Opened by the click itself, so that no pop-up blocker stops it.
    const view = openPrintWindow();
    if (!view) {
      setError(
        'Your browser blocked the print view. Allow pop-ups for this site and try again.',
      );
      return;
    }
    run('print', async () => {
      try {
        showPrintView(view, await api.getReport(reportQueryOf(period)));
      } catch (e) {
        view.close();
        throw e;
      }
    });
  };

  const downloadCsv = () =>
    run('csv', async () => {
      const name =
        section === 'entities'
          ? `security-report-${period.to}.csv`
          : `security-report-${section}-${period.to}.csv`;
      downloadFile({
        name,
        type: 'text/csv',
        content: await api.getReportCsv({ ...reportQueryOf(period), section }),
      });
    });

  const downloadJson = () =>
    run('json', async () => {
      const report = await api.getReport(reportQueryOf(period));
      downloadFile({
        name: `security-report-${period.to}.json`,
        type: 'application/json',
        content: JSON.stringify(report, null, 2),
      });
    });

  const progress = (action: Action) =>
    busy === action ? (
      <CircularProgress size={16} aria-label="Preparing the report" />
    ) : undefined;
  const disabled = busy !== undefined || Boolean(problem);

  return (
    <InfoCard title="IT security report">
      <Typography variant="body2" paragraph>
        Posture by entity, owner, system and domain as of the last day of the
        period; incidents you may read, with mean times to contain and resolve,
        exceptions and test coverage within the period; and the security
        policies due for review. Print it, or save it as PDF from the print
        dialog.
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
        mb={3}
      >
        <PeriodFields
          id="report"
          fromLabel="Period from"
          toLabel="To (as of)"
          period={period}
          problem={problem}
          onChange={setPeriod}
        />
        <Button
          variant="contained"
          color="primary"
          disabled={disabled}
          endIcon={progress('print')}
          onClick={print}
        >
          Print
        </Button>
      </Box>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="flex-start"
        style={{ gap: 16 }}
      >
        <TextField
          id="report-section"
          select
          label="CSV table"
          value={section}
          onChange={e => setSection(e.target.value as ReportCsvSection)}
          style={{ minWidth: 260 }}
        >
          {SECTIONS.map(option => (
            <MenuItem key={option.value} value={option.value}>
              {option.label}
            </MenuItem>
          ))}
        </TextField>
        <Button
          variant="outlined"
          color="primary"
          disabled={disabled}
          endIcon={progress('csv')}
          onClick={downloadCsv}
        >
          Download CSV
        </Button>
        <Button
          variant="outlined"
          disabled={disabled}
          endIcon={progress('json')}
          onClick={downloadJson}
        >
          Download JSON
        </Button>
      </Box>
    </InfoCard>
  );
}
