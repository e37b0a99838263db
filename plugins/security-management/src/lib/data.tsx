import {
  createContext,
  DependencyList,
  ReactNode,
  useCallback,
  useContext,
  useMemo,
  useState,
} from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { EntityPosture } from '@open-itsm/plugin-security-management-common';
import {
  SecurityManagementApi,
  securityManagementApiRef,
} from '../api/SecurityManagementApi';

import { isNotFound } from './errors';

interface RefreshState {
  version: number;
  refresh: () => void;
}

const RefreshContext = createContext<RefreshState>({
  version: 0,
  refresh: () => {},
});

/**
 * Scope in which every view reloads after a successful write, so that a new
 * failing test shows up in the posture, the controls and the history at once.
 */
export function SecurityDataProvider(props: { children: ReactNode }) {
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion(v => v + 1), []);
  const value = useMemo(() => ({ version, refresh }), [version, refresh]);
  return (
    <RefreshContext.Provider value={value}>
      {props.children}
    </RefreshContext.Provider>
  );
}

/** Reloads every view of the surrounding {@link SecurityDataProvider}. */
export function useRefreshSecurityData(): () => void {
  return useContext(RefreshContext).refresh;
}

/**
 * Loads data from the Security Management backend; reloads when `deps`
 * change, when `retry` is called and after a write in the same scope.
 */
export function useSecurityData<T>(
  load: (api: SecurityManagementApi) => Promise<T>,
  deps: DependencyList,
) {
  const api = useApi(securityManagementApiRef);
  const { version } = useContext(RefreshContext);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useAsyncRetry(() => load(api), [api, version, ...deps]);
}

/**
 * The posture of an entity, or null when the backend has not seen the
 * entity yet (no control applies to it so far).
 */
export function getPostureOrNull(
  api: SecurityManagementApi,
  entityRef: string,
): Promise<EntityPosture | null> {
  return api
    .getEntityPosture({ entityRef })
    .catch(e => (isNotFound(e) ? null : Promise.reject(e)));
}
