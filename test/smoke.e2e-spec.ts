import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { bootApp } from './support/app';

describe('smoke', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await bootApp();
  });
  afterAll(() => app.close());

  it('answers live', async () => {
    const res = await request(app.getHttpServer()).get('/api/v1/health/live');
    console.log(res.status, res.headers, res.body);
    const r2 = await request(app.getHttpServer()).get('/api/v1/health/ready');
    console.log(r2.status, r2.body);
    const r3 = await request(app.getHttpServer()).get('/api/v1/nope');
    console.log(r3.status, r3.headers['content-type'], r3.body);
    const r4 = await request(app.getHttpServer()).get('/metrics');
    console.log(r4.status, r4.text.slice(0, 300), r4.text.match(/http_requests_total.*/g));
    const r5 = await request(app.getHttpServer()).get('/docs/json');
    console.log(r5.status, Object.keys(r5.body.paths ?? {}));
    const r6 = await request(app.getHttpServer()).get('/api/v1/health/detailed');
    console.log(r6.status, JSON.stringify(r6.body));
  });
});
