export {
  ExecCommandRunner,
  RunError,
  formatArgv,
  type CommandRunner,
  type RunFailure,
  type RunOptions,
  type RunResult,
} from './command-runner';
export {
  FakeCommandRunner,
  hangUntilAborted,
  type FakeCall,
  type FakeReply,
  type FakeReplyFunction,
} from './fake-command-runner';
export {
  DEFAULT_KIND_HOST_REQUIREMENTS,
  assertHostReady,
  checkKindHost,
  realHostFacts,
  type HostFacts,
  type HostProblem,
  type HostReport,
  type KindHostRequirements,
} from './host-checks';
export { compareVersions, parseVersion } from './version';
