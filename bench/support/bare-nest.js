// Second baseline for bench:http: NestJS on the Fastify adapter with one controller and nothing
// else, to show how much of the gap to bare Fastify is the framework itself.
require('reflect-metadata');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');

class HealthController {
  live() {
    return { status: 'ok' };
  }
}
Reflect.decorate([Get('live')], HealthController.prototype, 'live', Object.getOwnPropertyDescriptor(HealthController.prototype, 'live'));
const Health = Reflect.decorate([Controller('api/v1/health')], HealthController);
const App = Reflect.decorate([Module({ controllers: [Health] })], class AppModule {});

NestFactory.create(App, new FastifyAdapter(), { logger: false }).then((app) => app.listen(Number(process.env.PORT), '127.0.0.1'));
