import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import {
  TREND_DAYS,
  TrendDays,
} from '@open-itsm/plugin-security-management-common';

/** The 30 / 90 / 365-day choice of a trend. */
export function PeriodToggle(props: {
  value: TrendDays;
  onChange: (days: TrendDays) => void;
}) {
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={props.value}
      aria-label="Period"
      onChange={(_, value: TrendDays | null) => {
        // Clicking the selected button again leaves the choice as it is.
        if (value) props.onChange(value);
      }}
    >
      {TREND_DAYS.map(days => (
        <ToggleButton key={days} value={days} aria-label={`${days} days`}>
          {days} days
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
