export * from './argv';
export * from './events';
export * from './placeholders';
export * from './plan';
export * from './url';
