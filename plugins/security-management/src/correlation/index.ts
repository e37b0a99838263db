export { EventsTab } from './EventsTab';
export { CorrelatedEvents } from './CorrelatedEvents';
