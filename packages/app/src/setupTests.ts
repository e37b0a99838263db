import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The whole app renders here (both sign-in and the security page with its
// many cards) on a 2-core CI machine that runs other suites at the same time:
// the default 1 s for findBy* and 5 s per test are too tight there.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(40_000);
