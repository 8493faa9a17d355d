/**
 * Client for the public /api/v1 API. Tokens live in memory only (never localStorage): an XSS
 * bug cannot read them from storage, and a page reload asks for a new login. The access token
 * is refreshed with the rotating refresh token when it expires (one refresh at a time).
 */
import { API_BASE_PATH } from '../../src/common/http/api-version';

export interface Problem {
  status: number;
  title: string;
  detail: string;
  code?: string;
  errors?: { field: string; messages: string[] }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(ApiError.describe(problem));
  }
  static describe(p: Problem): string {
    const fields = p.errors?.map((e) => `${e.field}: ${e.messages.join(', ')}`).join('; ');
    return fields ? `${p.detail} (${fields})` : p.detail || p.title || `Request failed (${p.status})`;
  }
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface Me {
  id: string;
  email: string;
  displayName: string | null;
  role: 'user' | 'admin';
}

let tokens: Tokens | null = null;
let me: Me | null = null;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

export const session = {
  get loggedIn(): boolean {
    return tokens !== null;
  },
  /** The logged-in user (GET /auth/me at login); the role only decides which views are offered. */
  get user(): Me | null {
    return me;
  },
  get isAdmin(): boolean {
    return me?.role === 'admin';
  },
  set(t: Tokens | null): void {
    tokens = t;
    if (!t) me = null;
    listeners.forEach((fn) => fn());
  },
  onChange(fn: () => void): void {
    listeners.add(fn);
  },
  accessToken(): string | null {
    return tokens?.accessToken ?? null;
  },
};

async function toError(res: Response): Promise<ApiError> {
  let body: Partial<Problem> = {};
  try {
    body = (await res.json()) as Partial<Problem>;
  } catch {
    /* not JSON */
  }
  return new ApiError({
    status: res.status,
    title: body.title ?? res.statusText,
    detail: body.detail ?? '',
    code: body.code,
    errors: body.errors,
  });
}

async function refresh(): Promise<boolean> {
  if (!tokens) return false;
  refreshing ??= (async () => {
    const res = await fetch(`${API_BASE_PATH}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: tokens?.refreshToken }),
    });
    if (!res.ok) {
      session.set(null);
      return false;
    }
    const t = (await res.json()) as Tokens;
    session.set({ accessToken: t.accessToken, refreshToken: t.refreshToken });
    return true;
  })().finally(() => (refreshing = null));
  return refreshing;
}

export async function raw(path: string, init: RequestInit = {}, retry = true): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  if (tokens) headers.set('authorization', `Bearer ${tokens.accessToken}`);
  const res = await fetch(`${API_BASE_PATH}${path}`, { ...init, headers });
  if (res.status === 401 && retry && tokens && (await refresh())) return raw(path, init, false);
  if (!res.ok) throw await toError(res);
  return res;
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await raw(path, init);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export const put = <T>(path: string, body: unknown, headers?: Record<string, string>) =>
  api<T>(path, { method: 'PUT', body: JSON.stringify(body), headers });
export const patch = <T>(path: string, body: unknown) => api<T>(path, { method: 'PATCH', body: JSON.stringify(body) });

/** `?a=1&b=x` from the defined, non-empty entries. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const post = <T>(path: string, body?: unknown) =>
  api<T>(path, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });

export async function login(email: string, password: string): Promise<void> {
  const t = await post<Tokens>('/auth/login', { email, password });
  tokens = { accessToken: t.accessToken, refreshToken: t.refreshToken };
  try {
    me = await api<Me>('/auth/me');
  } catch (err) {
    tokens = null;
    throw err;
  }
  session.set(tokens);
}

export async function logout(): Promise<void> {
  try {
    await post('/auth/logout');
  } finally {
    session.set(null);
  }
}

/** A readable sentence for any failure: the problem+json detail, or a network failure. */
export function errorText(err: unknown, fallback: string): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError) return 'Could not reach the server — check your connection and try again.';
  return fallback;
}
