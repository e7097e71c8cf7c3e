export * from './action.schema';
export * from './check.schema';
export * from './curriculum.schema';
export * from './lab.schema';
export * from './parameter.schema';
export { Duration, ObjectRef, TEMPLATE_PATTERN } from './primitives.schema';
