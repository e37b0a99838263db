import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { DateTime } from 'luxon';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { downloadFile } from '../lib/download';
import { isForbidden, serverMessage } from '../lib/errors';

/** Downloads the IT security report as CSV or JSON. */
export function ReportTab() {
  const api = useApi(securityManagementApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const download = async (format: 'csv' | 'json') => {
    setBusy(true);
    setError(undefined);
    const name = `security-report-${DateTime.now().toISODate()}.${format}`;
    try {
      if (format === 'csv') {
        downloadFile({
          name,
          type: 'text/csv',
          content: await api.getReportCsv(),
        });
      } else {
        const report = await api.getReport();
        downloadFile({
          name,
          type: 'application/json',
          content: JSON.stringify(report, null, 2),
        });
      }
    } catch (e) {
      setError(
        isForbidden(e)
          ? 'You do not have permission to download the security report.'
          : serverMessage(e),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard title="IT security report">
      <Typography variant="body2" paragraph>
        The posture of every entity, the roll-up by owner, figures on the
        incidents you may read, and exceptions, as of now.
      </Typography>
      {error && (
        <Box mb={2}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
      <Box display="flex" style={{ gap: 8 }}>
        <Button
          variant="contained"
          color="primary"
          disabled={busy}
          onClick={() => download('csv')}
        >
          Download CSV
        </Button>
        <Button
          variant="outlined"
          disabled={busy}
          onClick={() => download('json')}
        >
          Download JSON
        </Button>
      </Box>
    </InfoCard>
  );
}
