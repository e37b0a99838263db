export { setupHistory } from './setupHistory';
