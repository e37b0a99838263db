import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Material tables render slowly on a busy two-core CI machine. A test must
// outlive its slowest `findBy`, so that a missing element fails with a DOM
// dump instead of a bare timeout.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(40_000);
