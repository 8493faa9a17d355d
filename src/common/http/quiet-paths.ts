import { API_BASE_PATH } from './api-version';

const QUIET = new RegExp(`^(${API_BASE_PATH}/health/live|/metrics)(\\?|$)`);

/** Probes and scrapes would drown the access log and the traces; their failures show up elsewhere. */
export function isQuietPath(url: string): boolean {
  return QUIET.test(url);
}
