export * from './client';
export * from './openapi';
export * from './routes';
export * from './validation';
