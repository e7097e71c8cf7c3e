import type { paths as documented } from './generated/openapi';
import type { pendingPaths } from './pending-contract';

/**
 * Every path the web app calls: the server's OpenAPI document, with the paths it does not type yet
 * (no success schema or no path parameters) taken from the contract as written by hand.
 */
export type paths = Omit<documented, keyof pendingPaths> & pendingPaths;
