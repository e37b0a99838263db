export {
  SecuritySearchResultListItem,
  SECURITY_SEARCH_TYPES,
} from './SecuritySearchResultListItem';
export type { SecuritySearchType } from './SecuritySearchResultListItem';
