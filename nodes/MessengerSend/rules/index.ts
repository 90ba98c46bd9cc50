// The Send API's rules as data: allowed values, limits, platform profiles, and the schemas that check them.
export * from './combinators';
export * from './errors';
export * from './limits';
export * from './platforms';
export * from './values';
export * from './profile';
