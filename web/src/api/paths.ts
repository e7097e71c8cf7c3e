import type { paths as documented } from './generated/openapi';
import type { pendingPaths } from './pending-contract';

/** Every path the web app calls: the server's OpenAPI document plus what the contract adds until it is documented. */
export type paths = documented & pendingPaths;
