export { buildProgram } from './cli/program';
