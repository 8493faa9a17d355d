import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { API_BASE_PATH } from '../../src/common/http/api-version';
import { bootApp } from './app';

/** Cheap argon2 so that e2e files stay fast; production defaults are tested by config only. */
export const AUTH_TEST_ENV: Record<string, string> = {
  ARGON2_MEMORY_KIB: '1024',
  ARGON2_TIME_COST: '1',
};

export function bootAuthApp(env: Record<string, string> = {}): Promise<NestFastifyApplication> {
  return bootApp({ ...AUTH_TEST_ENV, ...env });
}

export const PASSWORD = 'correct-horse-battery-9';

export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${randomBytes(5).toString('hex')}@example.test`;
}

export interface TestUser {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

export function http(app: NestFastifyApplication) {
  return request(app.getHttpServer());
}

/** Registers and logs in a fresh user (optionally made admin directly in the database). */
export async function createUser(
  app: NestFastifyApplication,
  opts: { admin?: boolean; email?: string } = {},
): Promise<TestUser> {
  const email = opts.email ?? uniqueEmail(opts.admin ? 'admin' : 'user');
  const reg = await http(app).post(`${API_BASE_PATH}/auth/register`).send({ email, password: PASSWORD });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
  if (opts.admin) await app.get(DataSource).query(`UPDATE users SET role = 'admin' WHERE id = $1`, [reg.body.id]);
  const tokens = await login(app, email);
  return { id: reg.body.id, email, ...tokens };
}

export async function login(
  app: NestFastifyApplication,
  email: string,
  password = PASSWORD,
): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await http(app).post(`${API_BASE_PATH}/auth/login`).send({ email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { accessToken: res.body.accessToken, refreshToken: res.body.refreshToken };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
