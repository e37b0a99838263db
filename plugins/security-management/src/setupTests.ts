import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Material tables render slowly on a busy CI machine.
configure({ asyncUtilTimeout: 5000 });
